/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KUCHAN_PROCESS_H
#define _KUCHAN_PROCESS_H

#include <linux/sched.h>
#include <linux/types.h>

struct kuchan_nlbuf;
struct sk_buff;

/*
 * The task that raised an event, read at raise (kuchan_actor_read()) and
 * encoded as a Process nest at delivery (kuchan_put_actor()): the raise
 * copies 40 bytes instead of writing five attributes.
 */
struct kuchan_actor {
	u64 start_boottime;
	pid_t pid;
	pid_t tgid;
	kuid_t uid;
	char comm[TASK_COMM_LEN];
};

u64 kuchan_start_time(const struct task_struct *t, bool reader);
int kuchan_nlb_put_process(struct kuchan_nlbuf *b, int attr,
			   struct task_struct *t);
void kuchan_actor_read(struct kuchan_actor *a);
int kuchan_put_actor(struct sk_buff *skb, int attr,
		     const struct kuchan_actor *a);

#endif /* _KUCHAN_PROCESS_H */
