/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KUCHAN_PROCESS_H
#define _KUCHAN_PROCESS_H

#include <linux/sched.h>
#include <linux/types.h>

struct kuchan_nlbuf;

u64 kuchan_start_time(const struct task_struct *t, bool reader);
int kuchan_nlb_put_process(struct kuchan_nlbuf *b, int attr,
			   struct task_struct *t);

#endif /* _KUCHAN_PROCESS_H */
