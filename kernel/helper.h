/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The usermode helper, as the rest of the module sees it: event delivery
 * queues events for it, EMIT checks keys against its variable names.
 * The event types it runs for are registered with events.c.
 */
#ifndef _KUCHAN_HELPER_H
#define _KUCHAN_HELPER_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct kuchan_helper_job;

/*
 * The byte a custom event's key byte @c becomes in the helper's variable
 * name: names are exactly [A-Za-z0-9_] (the kernel's isalnum() would also
 * pass Latin-1 letters), so a key can neither end the name ('=') nor look
 * like another variable.
 */
static inline char kuchan_helper_env_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') ? c : '_';
}

struct kuchan_helper_job *kuchan_helper_job_new(u32 type, kuid_t user,
						const void *attrs, int len);
void kuchan_helper_queue(struct kuchan_helper_job *job, u64 seq);

int kuchan_helper_init(void);
void kuchan_helper_uninit(void);

#endif /* _KUCHAN_HELPER_H */
