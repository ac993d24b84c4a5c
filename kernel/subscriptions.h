/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KUCHAN_SUBSCRIPTIONS_H
#define _KUCHAN_SUBSCRIPTIONS_H

#include <linux/types.h>

/*
 * Signal subscriptions, as event delivery sees them; the event types they
 * want are registered with events.c.
 */

void kuchan_subscriptions_notify(u32 type, u64 seq);

int kuchan_subscriptions_init(void);
void kuchan_subscriptions_uninit(void);

#endif /* _KUCHAN_SUBSCRIPTIONS_H */
