// SPDX-License-Identifier: GPL-2.0
/*
 * A test module, never shipped: raises kuchan custom events from a hard
 * interrupt (an HRTIMER_MODE_REL_HARD hrtimer) to prove that
 * kuchan_raise_custom() works, and never sleeps, in atomic context.
 *
 * Loading it with count=N raises N events, one per timer expiry, with code
 * 0x7e57 and the data ctx=hardirq, n=<index>. Unloading cancels the timer.
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

static int __init raise_init(void)
{
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
