/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KUCHAN_SIGNAL_H
#define _KUCHAN_SIGNAL_H

#include <linux/sched.h>

u64 kuchan_task_start_time(const struct task_struct *t);

#endif /* _KUCHAN_SIGNAL_H */
