// SPDX-License-Identifier: GPL-2.0
/*
 * A test module, never shipped: raises kuchan custom events in each context
 * kuchan_raise_custom() claims, to prove it works there and does nothing
 * the context forbids (a lockdep kernel checks the last).
 *
 * Loading it with count=N raises N events with code 0x7e57 and the data
 * ctx=<the context it ran in>, n=<index>, from the context ctx= names:
 *   hardirq  a hard interrupt: an HRTIMER_MODE_REL_HARD hrtimer, one event
 *            per expiry (the default);
 *   softirq  a softirq: the same timer in HRTIMER_MODE_REL_SOFT;
 *   process  process context, at load time, back to back;
 *   locked   process context at load time, each raise under a spinlock
 *            held with interrupts off that a hard-irq timer also takes:
 *            lockdep then knows it as hardirq-safe, and a raise that took
 *            an irq-unsafe lock (task_lock(), for the actor's name) under
 *            it would be reported as an inversion.
 * Unloading cancels the timer.
 *
 * For the benchmarks (bench/events/, docs/benchmarks.md), at load time
 * and before the above: idle_ns=N, raise_ns=N, irq_raise_ns=N, burst=N and
 * lat=N time raises with nobody listening, with listeners in process
 * context and in hard irq, raise a burst, raise lone events for latency
 * (bench_raise.h, shared with the baseline's kuchan_bench_base_raise).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>

#include "include/kuchan.h"

#define BENCH_RAISE kuchan_raise_custom
#include "bench_raise.h"

static unsigned int count = 10;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "events to raise from the hard-irq timer");

static char *ctx = "hardirq";
module_param(ctx, charp, 0444);
MODULE_PARM_DESC(ctx, "where to raise: hardirq, softirq, process, locked");

static struct hrtimer raise_timer;
static unsigned int raised;
static bool timer_started;
static bool timer_locks_only;	/* ctx=locked: the timer takes the lock */
static DEFINE_SPINLOCK(test_lock);

static const char *context_name(void)
{
	if (in_hardirq())
		return "hardirq";
	if (in_serving_softirq())
		return "softirq";
	return in_task() ? "process" : "other";
}

static void raise_indexed(unsigned int i)
{
	char index[12];
	struct kuchan_kv data[] = {
		{ .key = "ctx", .value = context_name() },
		{ .key = "n", .value = index },
	};

	snprintf(index, sizeof(index), "%u", i);
	kuchan_raise_custom(0x7e57, data, ARRAY_SIZE(data));
}

static enum hrtimer_restart raise_one(struct hrtimer *timer)
{
	if (timer_locks_only) {
		spin_lock(&test_lock);
		spin_unlock(&test_lock);
	} else {
		raise_indexed(raised);
	}
	if (++raised >= count)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ms_to_ktime(2));
	return HRTIMER_RESTART;
}

static void start_timer(enum hrtimer_mode mode)
{
	hrtimer_init(&raise_timer, CLOCK_MONOTONIC, mode);
	raise_timer.function = raise_one;
	hrtimer_start(&raise_timer, ms_to_ktime(2), mode);
	timer_started = true;
}

/* ctx=process and ctx=locked: from here, at load time. */
static void raise_in_process(bool locked)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (locked)
			spin_lock_irqsave(&test_lock, flags);
		raise_indexed(i);
		if (locked)
			spin_unlock_irqrestore(&test_lock, flags);
	}
}

static int __init raise_init(void)
{
	bench_run();
	if (!count)
		return 0;
	if (!strcmp(ctx, "hardirq")) {
		start_timer(HRTIMER_MODE_REL_HARD);
	} else if (!strcmp(ctx, "softirq")) {
		start_timer(HRTIMER_MODE_REL_SOFT);
	} else if (!strcmp(ctx, "process")) {
		raise_in_process(false);
	} else if (!strcmp(ctx, "locked")) {
		/* The lock is taken in hard irq first, then raised under. */
		timer_locks_only = true;
		start_timer(HRTIMER_MODE_REL_HARD);
		msleep(20);
		raise_in_process(true);
	} else {
		pr_err("unknown ctx=%s\n", ctx);
		return -EINVAL;
	}
	return 0;
}

static void __exit raise_exit(void)
{
	if (timer_started)
		hrtimer_cancel(&raise_timer);
}

module_init(raise_init);
module_exit(raise_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kuchan test: raise events in every context");
