/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the usermode helper's files share: the helper as set (helper.c),
 * the check of whose program it is (helper_path.c), the environment of a
 * run (helper_env.c), and the queue and runners (helper_run.c). Nothing
 * outside helper*.c includes it; helper.h is the helper's face to the rest
 * of the module.
 */
#ifndef _KUCHAN_HELPER_PRIV_H
#define _KUCHAN_HELPER_PRIV_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <net/netlink.h>

#include "kuchan-nl-gen.h"

#define KUCHAN_HELPER_PATH_MAX	255

/* The helper as set: refcounted, so runners keep it while it runs. */
struct kuchan_helper {
	struct kref ref;
	u64 mask;		/* event_mask as set (0: every type) */
	unsigned int nargs;	/* argv entries after the path */
	size_t size;		/* of the strings, for message sizes */
	char *argv[KUCHAN_A_HELPER_ARGS_MAX_COUNT + 2];	/* NULL-terminated */
	char strings[];
};

/* An event waiting for the helper: a copy of its attributes. */
struct kuchan_helper_job {
	struct list_head node;
	u64 seq;
	kuid_t user;	/* the unprivileged requester, or INVALID_UID */
	u32 type;
	int len;
	u8 attrs[];
};

/* helper.c */
struct kuchan_helper *kuchan_helper_get(void);
void kuchan_helper_release(struct kuchan_helper *cfg);
u64 kuchan_helper_types_for(u64 mask);

/* helper_path.c */
enum kuchan_path_fault {
	KUCHAN_PATH_TOO_LONG,
	KUCHAN_PATH_MISSING,
	KUCHAN_PATH_SYMLINK,
	KUCHAN_PATH_LOOKUP,
	KUCHAN_PATH_NOT_REGULAR,
	KUCHAN_PATH_FILE_NOT_ROOTS,
	KUCHAN_PATH_ABOVE_NOT_ROOTS,
	KUCHAN_PATH_UNTRUSTED_MOUNT,
	KUCHAN_PATH_MOVING,
};

int kuchan_helper_path_safe(const char *name, enum kuchan_path_fault *fault);
void kuchan_helper_path_fault(struct netlink_ext_ack *extack,
			      const struct nlattr *attr,
			      enum kuchan_path_fault fault);

/* helper_env.c */
struct kuchan_env;
struct kuchan_env *kuchan_helper_env(const struct kuchan_helper_job *job);
char **kuchan_env_vector(struct kuchan_env *env);

/* helper_run.c */
int kuchan_helper_runners_init(void);
void kuchan_helper_runners_uninit(void);

#endif /* _KUCHAN_HELPER_PRIV_H */
