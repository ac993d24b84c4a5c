/* SPDX-License-Identifier: GPL-2.0 */
/* The benchmarks' baseline (kuchan_bench_base.c): the old raise, exported. */
#ifndef _KUCHAN_TESTS_KMOD_BENCH_BASE_H
#define _KUCHAN_TESTS_KMOD_BENCH_BASE_H

#include <linux/types.h>

#include "include/kuchan.h"

int kuchan_base_raise_custom(u32 code, const struct kuchan_kv *data,
			     unsigned int n);

#endif /* _KUCHAN_TESTS_KMOD_BENCH_BASE_H */
