/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kuchan's in-kernel API: other modules raise events that kuchan multicasts
 * to its "monitor" group (and hands to the usermode helper and to signal
 * subscribers), with origin "kernel".
 *
 * kuchan_raise_custom() may be called from process, softirq and hard-irq
 * context, with any locks held and interrupts or preemption off, and on
 * PREEMPT_RT; not from NMI (-EOPNOTSUPP). It copies the event into a
 * per-CPU buffer and returns; delivery happens later in process context
 * (kernel/events.c has the details).
 *
 * Build against kuchan's Module.symvers (KBUILD_EXTRA_SYMBOLS) and load
 * kuchan.ko first. Installed by the kuchan-dkms package, this header is
 * /usr/src/kuchan-<version>/include/kuchan.h and DKMS keeps the symbols in
 * /var/lib/dkms/kuchan/<version>/<kernel>/<arch>/Module.symvers (its
 * README.Debian shows a module's build).
 */
#ifndef _KUCHAN_H
#define _KUCHAN_H

#include <linux/types.h>

/**
 * struct kuchan_kv - one key/value pair of a custom event
 * @key: 1..31 bytes, NUL-terminated
 * @value: 0..127 bytes, NUL-terminated
 */
struct kuchan_kv {
	const char *key;
	const char *value;
};

int kuchan_raise_custom(u32 code, const struct kuchan_kv *data,
			unsigned int n);

#endif /* _KUCHAN_H */
