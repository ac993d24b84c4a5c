// SPDX-License-Identifier: GPL-2.0
/*
 * The baseline's raiser, never shipped: kuchan_test_raise's benchmark knobs
 * (bench_raise.h: idle_ns, raise_ns, irq_raise_ns, burst, lat), calling
 * kuchan_bench_base's kuchan_base_raise_custom() (the old design) instead
 * of kuchan_raise_custom(). Loaded and unloaded once per measurement, as
 * kuchan_test_raise is, so the two raise from the same context (modprobe's
 * init) with the same actor.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "kuchan_bench_base.h"

#define BENCH_RAISE kuchan_base_raise_custom
#include "bench_raise.h"

static int __init base_raise_init(void)
{
	bench_run();
	return 0;
}

static void __exit base_raise_exit(void)
{
}

module_init(base_raise_init);
module_exit(base_raise_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kuchan benchmark baseline: raise through kuchan_bench_base");
