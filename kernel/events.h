/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KUCHAN_EVENTS_H
#define _KUCHAN_EVENTS_H

#include <linux/percpu.h>
#include <linux/sched.h>
#include <net/genetlink.h>

#include "event_ring.h"
#include "netlink.h"
#include "nlbuf.h"

/*
 * One event being raised. kuchan_event_begin() has reserved room in this
 * CPU's buffer (interrupts are off on it until the end) and put the actor;
 * the caller adds its payload nest to @b with the kuchan_nlb_*() writers and
 * calls kuchan_event_send() or, when a put failed, kuchan_event_cancel().
 */
struct kuchan_event {
	struct kuchan_reservation res;
	struct kuchan_nlbuf b;	/* the record's attributes */
};

/* The consumers kuchan_event_begin() found for an event. */
#define KUCHAN_TO_MONITOR	BIT(0)	/* listeners on the "monitor" group */
#define KUCHAN_TO_HELPER	BIT(1)	/* the usermode helper (helper*.c) */
#define KUCHAN_TO_SUBSCRIBERS	BIT(2)	/* signal subscriptions */

/*
 * The consumers that register the event types they want; the monitor
 * group's listeners are the core's to count (genl_has_listeners()).
 */
enum kuchan_consumer {
	KUCHAN_CONSUMER_HELPER,
	KUCHAN_CONSUMER_SUBSCRIBERS,
	__KUCHAN_CONSUMERS
};

/* Bit (1 << type) for each event type each consumer wants. */
extern u64 kuchan_event_interest[__KUCHAN_CONSUMERS];

void kuchan_event_set_interest(enum kuchan_consumer who, u64 types);

/* Does @who want events of @type? Any context, a word read. */
static __always_inline bool kuchan_event_interested(enum kuchan_consumer who,
						    u32 type)
{
	return type < 64 &&
	       (READ_ONCE(kuchan_event_interest[who]) & BIT_ULL(type));
}

/*
 * What is lost, by reason: counted for GET_STATS and, for the first four,
 * reported in one coalesced EVENT_HELPER_DROPPED at most once a second.
 * Events a CPU's buffer has no room for are reported in the stream itself,
 * in order (EVENT_LOST).
 */
enum kuchan_loss {
	KUCHAN_LOSS_RATE_LIMITED,	/* a user's requests beyond its rate */
	KUCHAN_LOSS_HELPER_FULL,	/* the helper's queue was full */
	KUCHAN_LOSS_HELPER_SHARE,	/* the user's share of it was used */
	KUCHAN_LOSS_HELPER_NOMEM,	/* no memory for the helper's copy */
	__KUCHAN_LOSS_REPORTED,
	KUCHAN_LOSS_SUB_SIGNAL = __KUCHAN_LOSS_REPORTED, /* ring full */
	KUCHAN_LOSS_SUB_REVOKED,	/* a subscription's process changed creds */
	KUCHAN_LOSS_BUFFER_FULL,	/* no room in the raising CPU's buffer */
	__KUCHAN_LOSS_MAX
};

/*
 * Per-CPU counters, summed by GET_STATS. An event nobody consumes costs one
 * this_cpu_inc() (a single unlocked instruction, safe in any context) on
 * top of the consumer checks: shared atomics made that path 139-186 ns
 * under QEMU, where locked operations are what TCG emulates worst. The
 * totals GET_STATS reports (raised, raised per type, dropped for lack of
 * listeners) are derived from these.
 */
struct kuchan_stats {
	u64 unheard[__KUCHAN_EVENT_TYPE_MAX];	/* no consumer: not built */
	u64 consumed[__KUCHAN_EVENT_TYPE_MAX];	/* built for a consumer */
	u64 multicast;
	u64 batches;		/* datagrams multicast */
	u64 left_before_send;	/* the last listener left while it was built */
	u64 dropped_nomem;
	u64 lost[__KUCHAN_LOSS_MAX];
};

DECLARE_PER_CPU(struct kuchan_stats, kuchan_stats);

/* Who wants an event of @type now: KUCHAN_TO_* bits, 0 for nobody. */
static __always_inline u32 kuchan_event_consumers(u32 type)
{
	u32 to = 0;

	if (KUCHAN_NL_MCAST_CAP_ENFORCED &&
	    genl_has_listeners(&kuchan_nl_family, &init_net,
			       KUCHAN_NLGRP_MONITOR))
		to |= KUCHAN_TO_MONITOR;
	if (kuchan_event_interested(KUCHAN_CONSUMER_HELPER, type))
		to |= KUCHAN_TO_HELPER;
	if (kuchan_event_interested(KUCHAN_CONSUMER_SUBSCRIBERS, type))
		to |= KUCHAN_TO_SUBSCRIBERS;
	return to;
}

/*
 * The consumers of an event of @type, counting it as unheard when there
 * are none: the whole cost of an event nobody wants.
 */
static __always_inline u32 kuchan_event_want(u32 type)
{
	u32 to = kuchan_event_consumers(type);

	if (likely(!to) && type < __KUCHAN_EVENT_TYPE_MAX)
		this_cpu_inc(kuchan_stats.unheard[type]);
	return to;
}

bool kuchan_event_build(struct kuchan_event *ev, u32 type, u32 to,
			u32 origin, size_t payload);

/**
 * kuchan_event_begin() - start an event the kernel raises
 * @ev: the event to fill in
 * @type: a KUCHAN_EVENT_* type
 * @payload: bytes, at most, the caller will add after the common attributes
 *
 * Counts the event, and returns false without touching any buffer when
 * nobody listens on the group, the helper does not run for @type and no
 * subscription wants it, or this CPU's buffer is full (counted, and
 * reported in the stream). Inline, so that the first case costs the caller
 * no call beyond the listener check's. Its origin is the kernel
 * (KUCHAN_ORIGIN_KERNEL); events a request raises start with
 * kuchan_event_begin_request().
 *
 * Context: any but NMI. On true, interrupts are off on this CPU until
 * kuchan_event_send() or kuchan_event_cancel(): build without sleeping.
 * Return: true when the caller should add its payload and send.
 */
static __always_inline bool kuchan_event_begin(struct kuchan_event *ev,
					       u32 type, size_t payload)
{
	u32 to = kuchan_event_want(type);

	return to && kuchan_event_build(ev, type, to, KUCHAN_ORIGIN_KERNEL,
					payload);
}

struct sk_buff;

bool kuchan_event_begin_request(struct kuchan_event *ev, u32 type,
				size_t payload, const struct sk_buff *skb);
void kuchan_event_send(struct kuchan_event *ev);
void kuchan_event_cancel(struct kuchan_event *ev);
void kuchan_event_lost(enum kuchan_loss why);

/* The worker's side (event_ring.c): process context, one at a time. */
void kuchan_event_deliver(const struct kuchan_rec *rec);
void kuchan_event_deliver_lost(u32 count, unsigned int cpu);
void kuchan_event_flush(void);
void kuchan_event_backlog(u32 bytes);

int kuchan_events_init(void);
void kuchan_events_close(void);
void kuchan_events_uninit(void);

#endif /* _KUCHAN_EVENTS_H */
