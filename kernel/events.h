/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KUCHAN_EVENTS_H
#define _KUCHAN_EVENTS_H

#include <linux/sched.h>
#include <net/genetlink.h>

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
};

/* The consumers kuchan_event_begin() found for an event. */
#define KUCHAN_TO_MONITOR	BIT(0)	/* listeners on the "monitor" group */
#define KUCHAN_TO_HELPER	BIT(1)	/* the usermode helper (helper.c) */
#define KUCHAN_TO_SUBSCRIBERS	BIT(2)	/* signal subscriptions */

bool kuchan_event_begin(struct kuchan_event *ev, u32 type, size_t payload,
			gfp_t gfp);
void kuchan_event_send(struct kuchan_event *ev);
void kuchan_event_cancel(struct kuchan_event *ev);

int kuchan_put_process(struct sk_buff *skb, int attr, struct task_struct *t);
int kuchan_put_u64(struct sk_buff *skb, int attr, u64 value);

void kuchan_event_signal_sent(pid_t nr, struct task_struct *t, int sig,
			      const struct nlattr *value, int err);

int kuchan_events_init(void);
void kuchan_events_uninit(void);

#endif /* _KUCHAN_EVENTS_H */
