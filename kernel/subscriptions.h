/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KUCHAN_SUBSCRIPTIONS_H
#define _KUCHAN_SUBSCRIPTIONS_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/types.h>

/* Bit (1 << type) for each event type some subscription wants. */
extern u64 kuchan_subscriptions_types;

/* Does some subscription want events of @type? Any context, a word read. */
static inline bool kuchan_subscriptions_want(u32 type)
{
	return type < 64 &&
	       (READ_ONCE(kuchan_subscriptions_types) & BIT_ULL(type));
}

void kuchan_subscriptions_notify(u32 type, u64 seq);

int kuchan_subscriptions_init(void);
void kuchan_subscriptions_uninit(void);

#endif /* _KUCHAN_SUBSCRIPTIONS_H */
