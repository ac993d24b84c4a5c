/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KUCHAN_EVENTS_H
#define _KUCHAN_EVENTS_H

#include <linux/percpu.h>
#include <linux/sched.h>
#include <net/genetlink.h>

#include "helper.h"
#include "netlink.h"
#include "subscriptions.h"

/*
 * One event under construction. kuchan_event_begin() has put the common
 * attributes; the caller adds its payload nest and calls kuchan_event_send()
 * or, on failure, kuchan_event_cancel().
 */
struct kuchan_event {
	struct sk_buff *skb;
	void *hdr;
	struct nlattr *seq;	/* filled in by kuchan_event_send() */
	u32 type;
	u32 to;			/* KUCHAN_TO_*: who receives it */
	/*
	 * The unprivileged user whose request raised it, whose share of the
	 * helper's queue it takes; INVALID_UID for the kernel's events and
	 * privileged requests.
	 */
	kuid_t user;
};

/* The consumers kuchan_event_begin() found for an event. */
#define KUCHAN_TO_MONITOR	BIT(0)	/* listeners on the "monitor" group */
#define KUCHAN_TO_HELPER	BIT(1)	/* the usermode helper (helper.c) */
#define KUCHAN_TO_SUBSCRIBERS	BIT(2)	/* signal subscriptions */

/*
 * Per-CPU counters, summed by GET_STATS. An event nobody consumes costs one
 * this_cpu_inc() (a single unlocked instruction, safe in any context) on
 * top of the consumer checks: shared atomics made that path 139-186 ns
 * under QEMU, where locked operations are what TCG emulates worst. The
 * totals GET_STATS reports (raised, raised per type, dropped for lack of
 * listeners) are derived from these.
 */
/*
 * What is lost, by reason: counted for GET_STATS and, for the first four,
 * reported in one coalesced EVENT_HELPER_DROPPED at most once a second.
 */
enum kuchan_loss {
	KUCHAN_LOSS_RATE_LIMITED,	/* a user's requests beyond its rate */
	KUCHAN_LOSS_HELPER_FULL,	/* the helper's queue was full */
	KUCHAN_LOSS_HELPER_SHARE,	/* the user's share of it was used */
	KUCHAN_LOSS_HELPER_NOMEM,	/* no memory for the helper's copy */
	__KUCHAN_LOSS_REPORTED,
	KUCHAN_LOSS_SUB_SIGNAL = __KUCHAN_LOSS_REPORTED, /* ring full */
	KUCHAN_LOSS_SUB_REVOKED,	/* a subscription's process changed creds */
	__KUCHAN_LOSS_MAX
};

struct kuchan_stats {
	u64 unheard[__KUCHAN_EVENT_TYPE_MAX];	/* no consumer: not built */
	u64 consumed[__KUCHAN_EVENT_TYPE_MAX];	/* built for a consumer */
	u64 multicast;
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
	if (kuchan_helper_wants(type))
		to |= KUCHAN_TO_HELPER;
	if (kuchan_subscriptions_want(type))
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
			u32 origin, size_t payload, gfp_t gfp);

/**
 * kuchan_event_begin() - start an event the kernel raises
 * @ev: the event to fill in
 * @type: a KUCHAN_EVENT_* type
 * @payload: bytes the caller will add after the common attributes
 * @gfp: GFP_ATOMIC outside process context
 *
 * Counts the event, and returns false without allocating when nobody
 * listens on the group, the helper does not run for @type and no
 * subscription wants it, or memory is short. Inline, so that the first
 * case costs the caller no call beyond the listener check's. Its origin is
 * the kernel (KUCHAN_ORIGIN_KERNEL); events a request raises start with
 * kuchan_event_begin_request().
 *
 * Return: true when the caller should add its payload and send.
 */
static __always_inline bool kuchan_event_begin(struct kuchan_event *ev,
					       u32 type, size_t payload,
					       gfp_t gfp)
{
	u32 to = kuchan_event_want(type);

	return to && kuchan_event_build(ev, type, to, KUCHAN_ORIGIN_KERNEL,
					payload, gfp);
}

bool kuchan_event_begin_request(struct kuchan_event *ev, u32 type,
				size_t payload);
void kuchan_event_lost(enum kuchan_loss why);

void kuchan_event_send(struct kuchan_event *ev);
void kuchan_event_cancel(struct kuchan_event *ev);

int kuchan_put_process(struct sk_buff *skb, int attr, struct task_struct *t);
int kuchan_put_u64(struct sk_buff *skb, int attr, u64 value);

void kuchan_event_signal_sent(pid_t nr, struct task_struct *t, int sig,
			      int err);

int kuchan_events_init(void);
void kuchan_events_close(void);
void kuchan_events_uninit(void);

#endif /* _KUCHAN_EVENTS_H */
