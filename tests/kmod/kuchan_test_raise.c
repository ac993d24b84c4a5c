// SPDX-License-Identifier: GPL-2.0
/*
 * A test module, never shipped: raises kuchan custom events from a hard
 * interrupt (an HRTIMER_MODE_REL_HARD hrtimer) to prove that
 * kuchan_raise_custom() works, and never sleeps, in atomic context.
 *
 * Loading it with count=N raises N events, one per timer expiry, with code
 * 0x7e57 and the data ctx=hardirq, n=<index>. Unloading cancels the timer.
 *
 * For the benchmarks (bench/events/, docs/benchmarks.md), at load time:
 * idle_ns=N times N kuchan_raise_custom() calls, which must find nobody
 * listening, and logs the cost per call; burst=N raises N events as fast as
 * it can (code 0xb5, data n=<index>) for the delivery benchmark.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>

#include "include/kuchan.h"

static unsigned int count = 10;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "events to raise from the hard-irq timer");

static unsigned int idle_ns;
module_param(idle_ns, uint, 0444);
MODULE_PARM_DESC(idle_ns, "time this many raises with nobody listening");

static unsigned int burst;
module_param(burst, uint, 0444);
MODULE_PARM_DESC(burst, "raise this many events at load time, back to back");

static struct hrtimer raise_timer;
static unsigned int raised;

static enum hrtimer_restart raise_one(struct hrtimer *timer)
{
	char index[12];
	struct kuchan_kv data[] = {
		{ .key = "ctx", .value = in_hardirq() ? "hardirq" : "other" },
		{ .key = "n", .value = index },
	};

	snprintf(index, sizeof(index), "%u", raised);
	kuchan_raise_custom(0x7e57, data, ARRAY_SIZE(data));
	if (++raised >= count)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ms_to_ktime(2));
	return HRTIMER_RESTART;
}

static void bench_idle(void)
{
	unsigned int i;
	u64 t0, t1;

	t0 = ktime_get_ns();
	for (i = 0; i < idle_ns; i++)
		kuchan_raise_custom(0xb4, NULL, 0);
	t1 = ktime_get_ns();
	pr_info("idle: %u raises with nobody listening in %llu ns: %llu.%02llu ns each\n",
		idle_ns, t1 - t0, div_u64(t1 - t0, idle_ns),
		div_u64((t1 - t0) * 100, idle_ns) % 100);
}

static void bench_burst(void)
{
	char index[12];
	struct kuchan_kv data[] = { { .key = "n", .value = index } };
	unsigned int i;

	for (i = 0; i < burst; i++) {
		snprintf(index, sizeof(index), "%u", i);
		kuchan_raise_custom(0xb5, data, ARRAY_SIZE(data));
	}
}

static int __init raise_init(void)
{
	if (idle_ns)
		bench_idle();
	if (burst)
		bench_burst();
	if (!count)
		return 0;
	hrtimer_init(&raise_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	raise_timer.function = raise_one;
	hrtimer_start(&raise_timer, ms_to_ktime(2), HRTIMER_MODE_REL_HARD);
	return 0;
}

static void __exit raise_exit(void)
{
	if (count)
		hrtimer_cancel(&raise_timer);
}

module_init(raise_init);
module_exit(raise_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kuchan test: raise events from hard-irq context");
