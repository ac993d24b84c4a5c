// SPDX-License-Identifier: GPL-2.0
/*
 * KUCHAN_CMD_HELPER_{SET,GET,CLEAR}: the usermode helper, a program the
 * kernel runs for each event, with the event in its environment.
 *
 * The helper runs as full root in the initial namespaces, with every
 * capability, from kthreadd's context. Whoever chooses it chooses what the
 * kernel runs as root: that is the hole cgroup v1's release_agent had
 * (CVE-2022-0492: a container's root, holding CAP_SYS_ADMIN only in its own
 * user namespace, wrote release_agent and had the host run its program).
 * The rules that keep it shut, all in kuchan_helper_may_change():
 *
 * - CAP_SYS_ADMIN in the initial user namespace, for the sender and for
 *   the socket's opener (kuchan_nl_capable()). Root of a user namespace
 *   (unshare -U -r, rootless containers) holds its capabilities only in
 *   that namespace and fails capable(); a privileged program tricked into
 *   writing a request to a socket an unprivileged one opened and passed on
 *   (CVE-2014-0181) fails the opener's check. netlink_capable() would skip
 *   the opener whenever the sender names the destination address.
 *
 * - The caller in the initial PID namespace. A container that kept
 *   CAP_SYS_ADMIN (a "privileged" container sharing the host's user
 *   namespace) still lives in its own PID namespace: it must not pick what
 *   the host runs.
 *
 * - The request from the initial network namespace (the socket's and the
 *   caller's). The family is netnsok; a container with its own network
 *   namespace is refused for the same reason.
 *
 * Reading the helper needs CAP_NET_ADMIN (sender and opener), as the
 * monitor group does: the helper and its arguments say how the host reacts
 * to events.
 *
 * Paths must be absolute, 1..255 bytes, without a ".." component or a NUL
 * inside. The kernel resolves them in the initial mount namespace when the
 * helper runs. Arguments and the event's fields are separate argv and envp
 * entries: no shell ever splits them.
 *
 * The program must be one only root can change (kuchan_helper_path_safe()):
 * named through no symbolic link, the file and every directory above it
 * owned by root and writable by neither group nor others, on mounts that
 * vouch for their owners (not nosuid, not a user namespace's): the rule
 * sshd's StrictModes and the kernel's own modprobe path rely on. Otherwise
 * whoever may write there chooses what runs as root. Checked when the
 * helper is set, for a clear refusal, and again in the helper's own
 * process before each exec, since only that lookup sees the namespace and
 * the files the kernel will run. A script's interpreter (its #! line) is
 * not checked: it is the administrator's to choose.
 *
 * Running: event delivery (events.c, in its worker) hands a copy of the
 * event's attributes to kuchan_helper_queue(), without sleeping. The queue holds
 * at most KUCHAN_HELPER_QUEUE_MAX events, and of those at most
 * KUCHAN_HELPER_USER_SHARE raised by one unprivileged user's requests and
 * KUCHAN_HELPER_USERS_SHARE by all of them together, so that nobody's
 * flood of SIGNAL requests crowds out root's or the kernel's events. What
 * does not fit is counted by reason (kuchan_event_lost()), and reported in
 * one coalesced EVENT_HELPER_DROPPED from process context. At most
 * KUCHAN_HELPER_RUNNERS helpers run at once: each runner is a work item on
 * our own workqueue, which takes jobs off the queue and runs the helper
 * with UMH_WAIT_PROC, so that exec failures and exit statuses come back,
 * and reports each run as an EVENT_HELPER_RAN event. A helper that runs
 * longer than helper_timeout seconds is killed (its struct pid is recorded
 * by the init callback in the new process, before exec); module unload
 * kills running helpers at once and waits for the runners, so nothing of
 * ours runs after it: we always wait for call_usermodehelper_exec() to
 * finish (never UMH_KILLABLE, which could return while the helper's init
 * callback, our code, is still to run) and pass no cleanup callback.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/nsproxy.h>
#include <linux/overflow.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/seqlock.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/suspend.h>
#include <linux/umh.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "events.h"
#include "helper.h"
#include "netlink.h"

/* At most this many events wait for the helper; more are dropped. */
#define KUCHAN_HELPER_QUEUE_MAX	32
/* ... of those, raised by one unprivileged user's requests, */
#define KUCHAN_HELPER_USER_SHARE	8
/* ... and by all unprivileged users' requests together. */
#define KUCHAN_HELPER_USERS_SHARE	(KUCHAN_HELPER_QUEUE_MAX / 2)
/* At most this many helpers run at once. */
#define KUCHAN_HELPER_RUNNERS	4
#define KUCHAN_HELPER_PATH_MAX	255
/* The environment: at most this many entries and bytes. */
#define KUCHAN_ENV_MAX		64
#define KUCHAN_ENV_BYTES	8192

static unsigned int helper_timeout = 30;
module_param(helper_timeout, uint, 0644);
MODULE_PARM_DESC(helper_timeout,
		 "seconds a helper may run before it is killed (1..100, default 30)");

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

struct kuchan_helper_runner {
	struct work_struct work;
	struct delayed_work killer;
	spinlock_t lock;	/* guards pid and stop_err */
	struct pid *pid;	/* the running helper, once started */
	int stop_err;		/* -ETIMEDOUT, -ECANCELED: stop it */
};

u64 kuchan_helper_types;
static DEFINE_MUTEX(kuchan_helper_lock);
static struct kuchan_helper *kuchan_helper;	/* under kuchan_helper_lock */

static DEFINE_SPINLOCK(kuchan_helper_jobs_lock);
static LIST_HEAD(kuchan_helper_jobs);		/* under the jobs lock */
static unsigned int kuchan_helper_njobs;	/* under the jobs lock */
static bool kuchan_helper_stopping;		/* set under the jobs lock */
static bool kuchan_helper_paused;		/* set under the jobs lock */

static struct workqueue_struct *kuchan_helper_wq;
static struct kuchan_helper_runner kuchan_helper_runners[KUCHAN_HELPER_RUNNERS];

static const char * const kuchan_event_names[] = {
	[KUCHAN_EVENT_SIGNAL_SENT] = "signal_sent",
	[KUCHAN_EVENT_HELPER_CHANGED] = "helper_changed",
	[KUCHAN_EVENT_HELPER_RAN] = "helper_ran",
	[KUCHAN_EVENT_CUSTOM] = "custom",
	[KUCHAN_EVENT_HELPER_DROPPED] = "helper_dropped",
};

static void kuchan_helper_free(struct kref *ref)
{
	kfree(container_of(ref, struct kuchan_helper, ref));
}

static void kuchan_helper_release(struct kuchan_helper *cfg)
{
	if (cfg)
		kref_put(&cfg->ref, kuchan_helper_free);
}

static struct kuchan_helper *kuchan_helper_get(void)
{
	struct kuchan_helper *cfg;

	mutex_lock(&kuchan_helper_lock);
	cfg = kuchan_helper;
	if (cfg)
		kref_get(&cfg->ref);
	mutex_unlock(&kuchan_helper_lock);
	return cfg;
}

/*
 * The types a helper with event_mask @mask runs for. Never its own reports:
 * a HELPER_RAN run would report itself with another HELPER_RAN, forever;
 * a HELPER_DROPPED run would queue behind the very flood it reports, and
 * so would a LOST run, behind the overflow of the event buffers.
 */
static u64 kuchan_helper_types_for(u64 mask)
{
	if (!mask)
		mask = ~0ULL;
	return mask & ~(BIT_ULL(KUCHAN_EVENT_UNSPEC) |
			BIT_ULL(KUCHAN_EVENT_HELPER_RAN) |
			BIT_ULL(KUCHAN_EVENT_HELPER_DROPPED) |
			BIT_ULL(KUCHAN_EVENT_LOST));
}

/* ------------------------------------------------------------------ */
/* Whose program it is.                                               */
/* ------------------------------------------------------------------ */

/* Why kuchan_helper_path_safe() refused a path. */
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

/* Directories above a file we walk at most; a deeper path is refused. */
#define KUCHAN_PATH_DEPTH_MAX	64
/* Walks restarted because a rename moved a directory meanwhile. */
#define KUCHAN_PATH_WALK_TRIES	4

/* Only root can change @inode: root's, and no group or other write bit. */
static bool kuchan_inode_root_only(const struct inode *inode)
{
	return uid_eq(inode->i_uid, GLOBAL_ROOT_UID) &&
	       !(inode->i_mode & 0022);	/* group or other write */
}

/*
 * Does @mnt vouch for its files' owners? Not when mounted nosuid (what
 * removable media and FUSE mounts get: their owners and modes are the
 * medium's, not the system's) nor when a user namespace mounted it.
 */
static bool kuchan_mount_trusted(const struct vfsmount *mnt)
{
	return !(mnt->mnt_flags & MNT_NOSUID) &&
	       mnt->mnt_sb->s_user_ns == &init_user_ns;
}

/*
 * One walk from @start's dentry up to the root of the mount namespace:
 * every inode root's alone and every mount trusted. Crosses mount points
 * with follow_up(); the directory a mount covers is not what anyone sees,
 * so it is not checked. Returns -EAGAIN when it met a dentry cut off from
 * its mount's root (moved away meanwhile), so that the caller walks again.
 */
static int kuchan_path_walk_up(const struct path *start,
			       enum kuchan_path_fault *fault)
{
	struct path p = *start;
	struct dentry *parent;
	bool check = true;
	int depth, ret = -ELOOP;

	*fault = KUCHAN_PATH_MOVING;
	path_get(&p);
	for (depth = 0; depth <= KUCHAN_PATH_DEPTH_MAX; depth++) {
		if (!kuchan_mount_trusted(p.mnt)) {
			*fault = KUCHAN_PATH_UNTRUSTED_MOUNT;
			ret = -EPERM;
			break;
		}
		if (check && !kuchan_inode_root_only(d_inode(p.dentry))) {
			*fault = p.dentry == start->dentry ?
				 KUCHAN_PATH_FILE_NOT_ROOTS :
				 KUCHAN_PATH_ABOVE_NOT_ROOTS;
			ret = -EPERM;
			break;
		}
		check = true;
		if (p.dentry == p.mnt->mnt_root) {
			if (!follow_up(&p)) {
				ret = 0;	/* the namespace's root */
				break;
			}
			check = false;
			continue;
		}
		if (IS_ROOT(p.dentry)) {
			ret = -EAGAIN;	/* not under its mount's root */
			break;
		}
		parent = dget_parent(p.dentry);
		dput(p.dentry);
		p.dentry = parent;
	}
	path_put(&p);
	return ret;
}

/**
 * kuchan_helper_path_safe() - may only root change what @name runs?
 * @name: an absolute path, at most KUCHAN_HELPER_PATH_MAX bytes
 * @fault: set to what is wrong when not
 *
 * @name must name a regular file through no symbolic link (a link's target
 * could lead through directories others own: name the program by its real
 * path), and the file and every directory above it must be root's alone
 * (kuchan_inode_root_only()) on mounts that vouch for their owners
 * (kuchan_mount_trusted()). Without symbolic links and ".." the directories
 * above the file are exactly those the path names. Looked up in the
 * caller's namespace, as exec will look it up; the walk up is repeated when
 * a rename moved a directory meanwhile (rename_lock).
 *
 * Context: process context; sleeps.
 * Return: 0, -ENOENT (or another lookup error), -ELOOP through a symbolic
 * link, -EACCES when not a regular file, -EPERM when someone other than
 * root could change it.
 */
static int kuchan_helper_path_safe(const char *name,
				   enum kuchan_path_fault *fault)
{
	struct path path;
	unsigned int seq;
	int tries, ret;

	if (strnlen(name, KUCHAN_HELPER_PATH_MAX + 1) > KUCHAN_HELPER_PATH_MAX) {
		*fault = KUCHAN_PATH_TOO_LONG;
		return -EINVAL;
	}
	ret = kern_path(name, LOOKUP_FOLLOW | LOOKUP_NO_SYMLINKS, &path);
	if (ret) {
		*fault = ret == -ENOENT ? KUCHAN_PATH_MISSING :
			 ret == -ELOOP ? KUCHAN_PATH_SYMLINK :
			 KUCHAN_PATH_LOOKUP;
		return ret;
	}
	if (!d_is_reg(path.dentry)) {
		*fault = KUCHAN_PATH_NOT_REGULAR;
		ret = -EACCES;
		goto out;
	}
	for (tries = 0; tries < KUCHAN_PATH_WALK_TRIES; tries++) {
		seq = read_seqbegin(&rename_lock);
		ret = kuchan_path_walk_up(&path, fault);
		if (ret != -EAGAIN && !read_seqretry(&rename_lock, seq))
			break;
		ret = -EAGAIN;
		cond_resched();
	}
	if (ret == -EAGAIN || ret == -ELOOP) {
		*fault = KUCHAN_PATH_MOVING;
		ret = -EBUSY;
	}
out:
	path_put(&path);
	return ret;
}

/* The extack message for @fault, pointing at @attr. */
static void kuchan_helper_path_fault(struct netlink_ext_ack *extack,
				     const struct nlattr *attr,
				     enum kuchan_path_fault fault)
{
	switch (fault) {
	case KUCHAN_PATH_TOO_LONG:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "helper path is longer than 255 bytes");
		break;
	case KUCHAN_PATH_MISSING:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the helper does not exist");
		break;
	case KUCHAN_PATH_SYMLINK:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the helper's path goes through a symbolic link: give the program's real path");
		break;
	case KUCHAN_PATH_LOOKUP:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the helper cannot be looked up");
		break;
	case KUCHAN_PATH_NOT_REGULAR:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the helper is not a regular file");
		break;
	case KUCHAN_PATH_FILE_NOT_ROOTS:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the helper is not owned by root, or group or others may write it");
		break;
	case KUCHAN_PATH_ABOVE_NOT_ROOTS:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a directory above the helper is not owned by root, or group or others may write it");
		break;
	case KUCHAN_PATH_UNTRUSTED_MOUNT:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the helper is on a mount that does not vouch for its owners (nosuid, or mounted in a user namespace)");
		break;
	case KUCHAN_PATH_MOVING:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the directories above the helper kept moving, or are nested too deep");
		break;
	}
}

/* ------------------------------------------------------------------ */
/* The environment of a run.                                          */
/* ------------------------------------------------------------------ */

struct kuchan_env {
	char *envp[KUCHAN_ENV_MAX + 1];
	unsigned int n;
	size_t used;
	char buf[KUCHAN_ENV_BYTES];
};

/* Adds one "NAME=value" entry; one that does not fit is left out. */
static __printf(2, 3) void kuchan_env_add(struct kuchan_env *env,
					  const char *fmt, ...)
{
	size_t room = sizeof(env->buf) - env->used;
	va_list ap;
	int len;

	/* A full buffer has no byte left, not even for a terminator. */
	if (env->n == KUCHAN_ENV_MAX || !room)
		return;
	va_start(ap, fmt);
	len = vsnprintf(env->buf + env->used, room, fmt, ap);
	va_end(ap);
	if (len < 0 || len >= room) {
		env->buf[env->used] = '\0';
		return;
	}
	env->envp[env->n++] = env->buf + env->used;
	env->used += len + 1;
}

static u32 kuchan_attr_u32(const struct nlattr *a)
{
	return nla_len(a) >= sizeof(u32) ? nla_get_u32(a) : 0;
}

static u64 kuchan_attr_u64(const struct nlattr *a)
{
	return nla_len(a) >= sizeof(u64) ? nla_get_u64(a) : 0;
}

/* A string attribute of our own making, bounded by its length anyway. */
static int kuchan_attr_strlen(const struct nlattr *a)
{
	return strnlen(nla_data(a), nla_len(a));
}

/* A Process nest as PREFIX_PID, PREFIX_TGID, PREFIX_UID, ... */
static void kuchan_env_process(struct kuchan_env *env, const char *prefix,
			       const struct nlattr *nest)
{
	const struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case KUCHAN_A_PROCESS_PID:
			kuchan_env_add(env, "%s_PID=%u", prefix,
				       kuchan_attr_u32(a));
			break;
		case KUCHAN_A_PROCESS_TGID:
			kuchan_env_add(env, "%s_TGID=%u", prefix,
				       kuchan_attr_u32(a));
			break;
		case KUCHAN_A_PROCESS_UID:
			kuchan_env_add(env, "%s_UID=%u", prefix,
				       kuchan_attr_u32(a));
			break;
		case KUCHAN_A_PROCESS_COMM:
			kuchan_env_add(env, "%s_COMM=%.*s", prefix,
				       kuchan_attr_strlen(a),
				       (const char *)nla_data(a));
			break;
		case KUCHAN_A_PROCESS_START_TIME:
			kuchan_env_add(env, "%s_START_TIME=%llu", prefix,
				       kuchan_attr_u64(a));
			break;
		}
	}
}

static void kuchan_env_signal_sent(struct kuchan_env *env,
				   const struct nlattr *nest)
{
	const struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case KUCHAN_A_SIGNAL_SENT_TARGET:
			kuchan_env_process(env, "KUCHAN_TARGET", a);
			break;
		case KUCHAN_A_SIGNAL_SENT_SIGNAL:
			kuchan_env_add(env, "KUCHAN_SIGNAL=%u",
				       kuchan_attr_u32(a));
			break;
		case KUCHAN_A_SIGNAL_SENT_ERROR:
			kuchan_env_add(env, "KUCHAN_ERROR=%u",
				       kuchan_attr_u32(a));
			break;
		}
	}
}

static void kuchan_env_helper_changed(struct kuchan_env *env,
				      const struct nlattr *nest)
{
	const struct nlattr *helper, *a, *arg, *v;
	unsigned int argc = 0;
	int rem, rem2, rem3;

	nla_for_each_nested(helper, nest, rem) {
		if (nla_type(helper) != KUCHAN_A_HELPER_CHANGED_HELPER)
			continue;
		nla_for_each_nested(a, helper, rem2) {
			switch (nla_type(a)) {
			case KUCHAN_A_HELPER_PATH:
				kuchan_env_add(env, "KUCHAN_HELPER_PATH=%.*s",
					       kuchan_attr_strlen(a),
					       (const char *)nla_data(a));
				break;
			case KUCHAN_A_HELPER_EVENT_MASK:
				kuchan_env_add(env,
					       "KUCHAN_HELPER_EVENT_MASK=0x%llx",
					       kuchan_attr_u64(a));
				break;
			case KUCHAN_A_HELPER_ARGS:
				nla_for_each_nested(arg, a, rem3) {
					v = nla_find_nested(arg,
							    KUCHAN_A_ARG_VALUE);
					argc++;
					if (v)
						kuchan_env_add(env,
							       "KUCHAN_HELPER_ARG%u=%.*s",
							       argc,
							       kuchan_attr_strlen(v),
							       (const char *)nla_data(v));
				}
				break;
			}
		}
		kuchan_env_add(env, "KUCHAN_HELPER_ARGC=%u", argc);
	}
}

static void kuchan_env_custom(struct kuchan_env *env,
			      const struct nlattr *nest)
{
	const struct nlattr *a, *kv, *key, *value;
	char name[32];
	int rem, rem2, i, len;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == KUCHAN_A_CUSTOM_CODE) {
			kuchan_env_add(env, "KUCHAN_CODE=%u",
				       kuchan_attr_u32(a));
			continue;
		}
		if (nla_type(a) != KUCHAN_A_CUSTOM_DATA)
			continue;
		nla_for_each_nested(kv, a, rem2) {
			key = nla_find_nested(kv, KUCHAN_A_KV_KEY);
			value = nla_find_nested(kv, KUCHAN_A_KV_VALUE);
			if (!key)
				continue;
			/*
			 * Keys are the event source's words: see
			 * kuchan_helper_env_char(). Keys that would give the
			 * same name were refused when the event was raised.
			 */
			len = min_t(int, kuchan_attr_strlen(key),
				    sizeof(name) - 1);
			for (i = 0; i < len; i++)
				name[i] = kuchan_helper_env_char(((const char *)
							nla_data(key))[i]);
			name[len] = '\0';
			kuchan_env_add(env, "KUCHAN_DATA_%s=%.*s", name,
				       value ? kuchan_attr_strlen(value) : 0,
				       value ? (const char *)nla_data(value) : "");
		}
	}
}

/*
 * The helper's environment: a fixed PATH and HOME, and the event. See
 * docs/helper.md for the list; unknown attributes (newer payloads) are
 * left out.
 */
static struct kuchan_env *kuchan_helper_env(const struct kuchan_helper_job *job)
{
	const struct nlattr *a;
	struct kuchan_env *env;
	u32 nsec;
	u64 sec;
	int rem;

	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return NULL;
	kuchan_env_add(env, "HOME=/");
	kuchan_env_add(env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	if (job->type < ARRAY_SIZE(kuchan_event_names) &&
	    kuchan_event_names[job->type])
		kuchan_env_add(env, "KUCHAN_EVENT=%s",
			       kuchan_event_names[job->type]);
	else
		kuchan_env_add(env, "KUCHAN_EVENT=%u", job->type);
	kuchan_env_add(env, "KUCHAN_EVENT_TYPE=%u", job->type);
	kuchan_env_add(env, "KUCHAN_SEQ=%llu", job->seq);

	nla_for_each_attr(a, (const struct nlattr *)job->attrs, job->len, rem) {
		switch (nla_type(a)) {
		case KUCHAN_A_EVENT_TIMESTAMP_NS:
			sec = div_u64_rem(kuchan_attr_u64(a), NSEC_PER_SEC,
					  &nsec);
			kuchan_env_add(env, "KUCHAN_TIME=%llu.%09u", sec, nsec);
			break;
		case KUCHAN_A_EVENT_ACTOR:
			kuchan_env_process(env, "KUCHAN_ACTOR", a);
			break;
		case KUCHAN_A_EVENT_ORIGIN:
			kuchan_env_add(env, "KUCHAN_ORIGIN=%s",
				       kuchan_attr_u32(a) == KUCHAN_ORIGIN_KERNEL ?
				       "kernel" : "user");
			break;
		case KUCHAN_A_EVENT_SIGNAL_SENT:
			kuchan_env_signal_sent(env, a);
			break;
		case KUCHAN_A_EVENT_HELPER_CHANGED:
			kuchan_env_helper_changed(env, a);
			break;
		case KUCHAN_A_EVENT_CUSTOM:
			kuchan_env_custom(env, a);
			break;
		}
	}
	return env;
}

/* ------------------------------------------------------------------ */
/* Queue and runners.                                                 */
/* ------------------------------------------------------------------ */

/**
 * kuchan_helper_job_new() - copy an event for the helper
 * @type: the event's type
 * @user: the unprivileged user whose request raised it, or INVALID_UID
 * @attrs: its attributes (the genetlink payload)
 * @len: their length
 *
 * Any context: allocates with GFP_ATOMIC.
 *
 * Return: the job, or NULL when memory is short (kuchan_helper_queue()
 * counts that as a drop).
 */
struct kuchan_helper_job *kuchan_helper_job_new(u32 type, kuid_t user,
						const void *attrs, int len)
{
	struct kuchan_helper_job *job;

	job = kmalloc(struct_size(job, attrs, len), GFP_ATOMIC);
	if (!job)
		return NULL;
	job->type = type;
	job->user = user;
	job->len = len;
	memcpy(job->attrs, attrs, len);
	return job;
}

/* Wakes every runner: they take jobs until the queue is empty. */
static void kuchan_helper_kick(void)
{
	int i;

	for (i = 0; i < KUCHAN_HELPER_RUNNERS; i++)
		queue_work(kuchan_helper_wq, &kuchan_helper_runners[i].work);
}

/*
 * May a job raised by @user's request join the queue? Always for the
 * kernel's events and privileged requests (INVALID_UID); an unprivileged
 * user gets KUCHAN_HELPER_USER_SHARE places, and all of them together
 * KUCHAN_HELPER_USERS_SHARE, so the rest stays for everyone else. Under
 * the jobs lock; the queue is short enough to count.
 */
static bool kuchan_helper_share_left(kuid_t user)
{
	const struct kuchan_helper_job *job;
	unsigned int mine = 0, users = 0;

	if (!uid_valid(user))
		return true;
	list_for_each_entry(job, &kuchan_helper_jobs, node) {
		if (!uid_valid(job->user))
			continue;
		users++;
		if (uid_eq(job->user, user))
			mine++;
	}
	return mine < KUCHAN_HELPER_USER_SHARE &&
	       users < KUCHAN_HELPER_USERS_SHARE;
}

/**
 * kuchan_helper_queue() - queue an event for the helper, or drop it
 * @job: from kuchan_helper_job_new(), or NULL when that failed; consumed
 * @seq: the event's sequence number
 *
 * Any context, never sleeps. Called by event delivery (events.c), one
 * event at a time, so jobs are queued in sequence order.
 */
void kuchan_helper_queue(struct kuchan_helper_job *job, u64 seq)
{
	unsigned long flags;

	spin_lock_irqsave(&kuchan_helper_jobs_lock, flags);
	if (kuchan_helper_stopping) {
		/* Unloading: nobody would see a drop report either. */
	} else if (!job) {
		kuchan_event_lost(KUCHAN_LOSS_HELPER_NOMEM);
	} else if (kuchan_helper_njobs >= KUCHAN_HELPER_QUEUE_MAX) {
		kuchan_event_lost(KUCHAN_LOSS_HELPER_FULL);
	} else if (!kuchan_helper_share_left(job->user)) {
		kuchan_event_lost(KUCHAN_LOSS_HELPER_SHARE);
	} else {
		job->seq = seq;
		list_add_tail(&job->node, &kuchan_helper_jobs);
		kuchan_helper_njobs++;
		job = NULL;
		/* Wakes idle runners; a busy one looks again when done. */
		kuchan_helper_kick();
	}
	spin_unlock_irqrestore(&kuchan_helper_jobs_lock, flags);
	kfree(job);
}

/* EVENT_HELPER_RAN: @ret is what call_usermodehelper_exec() returned. */
static void kuchan_helper_report_run(const char *path, u64 seq, int ret,
				     int stop_err)
{
	struct kuchan_event ev;
	int nest, err = 0;

	if (READ_ONCE(kuchan_helper_stopping))
		return;		/* the family is gone: nobody would hear */
	if (!kuchan_event_begin(&ev, KUCHAN_EVENT_HELPER_RAN,
				nla_total_size(KUCHAN_HELPER_PATH_MAX + 1) + 64))
		return;
	if (ret < 0)
		err = -ret;	/* never ran: ENOENT, EACCES, EBUSY, ... */
	else if (stop_err)
		err = -stop_err;	/* we killed it: ETIMEDOUT */
	nest = kuchan_nlb_nest_start(&ev.b, KUCHAN_A_EVENT_HELPER_RAN);
	if (nest < 0 ||
	    kuchan_nlb_put_string(&ev.b, KUCHAN_A_HELPER_RAN_PATH, path) ||
	    kuchan_nlb_put_u64(&ev.b, KUCHAN_A_HELPER_RAN_EVENT_SEQ, seq) ||
	    (ret >= 0 &&
	     kuchan_nlb_put_s32(&ev.b, KUCHAN_A_HELPER_RAN_EXIT_STATUS, ret)) ||
	    (err && kuchan_nlb_put_u32(&ev.b, KUCHAN_A_HELPER_RAN_ERROR, err))) {
		kuchan_event_cancel(&ev);
		return;
	}
	kuchan_nlb_nest_end(&ev.b, nest);
	kuchan_event_send(&ev);
}

/* Kill the runner's helper, or keep it from starting. */
static void kuchan_helper_stop_runner(struct kuchan_helper_runner *r, int err)
{
	struct pid *pid;

	spin_lock(&r->lock);
	if (!r->stop_err)
		r->stop_err = err;
	pid = get_pid(r->pid);
	spin_unlock(&r->lock);
	if (pid)
		kill_pid(pid, SIGKILL, 1);
	put_pid(pid);
}

static void kuchan_helper_timeout(struct work_struct *work)
{
	kuchan_helper_stop_runner(container_of(to_delayed_work(work),
					       struct kuchan_helper_runner,
					       killer),
				  -ETIMEDOUT);
}

/*
 * The umh init callback: runs in the new process before exec. Refuses to
 * run a program someone other than root could have changed since it was
 * set (looked up here, as exec will: in the initial namespaces); records
 * the process's pid so that a timeout or unload can kill it; refuses to
 * start when one already asked to stop it.
 */
static int kuchan_helper_started(struct subprocess_info *info,
				 struct cred *new)
{
	struct kuchan_helper_runner *r = info->data;
	enum kuchan_path_fault fault;
	int ret;

	ret = kuchan_helper_path_safe(info->path, &fault);
	if (ret)
		return ret;
	spin_lock(&r->lock);
	if (r->stop_err)
		ret = r->stop_err;
	else
		r->pid = get_task_pid(current, PIDTYPE_PID);
	spin_unlock(&r->lock);
	return ret;
}

static void kuchan_helper_run(struct kuchan_helper_runner *r,
			      const struct kuchan_helper_job *job)
{
	unsigned int timeout = clamp(READ_ONCE(helper_timeout), 1U, 100U);
	struct subprocess_info *info;
	struct kuchan_helper *cfg;
	struct kuchan_env *env;
	struct pid *pid;
	int ret, stop_err;

	cfg = kuchan_helper_get();
	if (!cfg)
		return;		/* cleared since the event */
	if (!(kuchan_helper_types_for(cfg->mask) & BIT_ULL(job->type)))
		goto out_cfg;	/* replaced by one that does not want it */

	ret = -ENOMEM;
	stop_err = 0;
	env = kuchan_helper_env(job);
	if (!env)
		goto report;
	info = call_usermodehelper_setup(cfg->argv[0], cfg->argv, env->envp,
					 GFP_KERNEL, kuchan_helper_started,
					 NULL, r);
	if (!info)
		goto out_env;

	spin_lock(&r->lock);
	r->pid = NULL;
	r->stop_err = READ_ONCE(kuchan_helper_stopping) ||
		      READ_ONCE(kuchan_helper_paused) ? -ECANCELED : 0;
	spin_unlock(&r->lock);
	queue_delayed_work(system_wq, &r->killer, timeout * HZ);
	/*
	 * Waits until the helper has exited (or failed to exec), without
	 * UMH_KILLABLE: returning early would leave our init callback and
	 * our argv/envp to a helper still starting. The timeout bounds it.
	 * -EBUSY: helpers are disabled (early boot, suspend); reported.
	 */
	ret = call_usermodehelper_exec(info, UMH_WAIT_PROC);
	cancel_delayed_work_sync(&r->killer);

	spin_lock(&r->lock);
	pid = r->pid;
	r->pid = NULL;
	stop_err = pid ? r->stop_err : 0;
	spin_unlock(&r->lock);
	put_pid(pid);
out_env:
	kfree(env);
report:
	kuchan_helper_report_run(cfg->argv[0], job->seq, ret, stop_err);
out_cfg:
	kuchan_helper_release(cfg);
}

static void kuchan_helper_work(struct work_struct *work)
{
	struct kuchan_helper_runner *r =
		container_of(work, struct kuchan_helper_runner, work);
	struct kuchan_helper_job *job;
	bool stopping;

	for (;;) {
		spin_lock_irq(&kuchan_helper_jobs_lock);
		/* Paused for suspend: the jobs wait for the resume. */
		job = kuchan_helper_paused ? NULL :
		      list_first_entry_or_null(&kuchan_helper_jobs,
					       struct kuchan_helper_job, node);
		if (job) {
			list_del(&job->node);
			kuchan_helper_njobs--;
		}
		stopping = kuchan_helper_stopping;
		spin_unlock_irq(&kuchan_helper_jobs_lock);
		if (!job)
			return;
		if (!stopping)
			kuchan_helper_run(r, job);
		kfree(job);
		cond_resched();
	}
}

/* ------------------------------------------------------------------ */
/* The commands.                                                      */
/* ------------------------------------------------------------------ */

/* See the top of this file for the attack each rule stops. */
static int kuchan_helper_may_change(struct sk_buff *skb,
				    struct genl_info *info)
{
	if (!kuchan_nl_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "changing the helper needs CAP_SYS_ADMIN in the initial user namespace, for the sender and the socket's opener");
		return -EPERM;
	}
	if (task_active_pid_ns(current) != &init_pid_ns) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "changing the helper is refused outside the initial PID namespace");
		return -EPERM;
	}
	if (!net_eq(genl_info_net(info), &init_net) ||
	    !net_eq(current->nsproxy->net_ns, &init_net)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "changing the helper is refused outside the initial network namespace");
		return -EPERM;
	}
	return 0;
}

static int kuchan_helper_may_read(struct sk_buff *skb, struct genl_info *info)
{
	if (!kuchan_nl_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "reading the helper needs CAP_NET_ADMIN, for the sender and the socket's opener");
		return -EPERM;
	}
	return 0;
}

/* A NUL-terminated string attribute without a NUL before its end. */
static bool kuchan_attr_one_string(const struct nlattr *a)
{
	return strnlen(nla_data(a), nla_len(a)) + 1 == nla_len(a);
}

static int kuchan_helper_check_path(const struct nlattr *attr,
				    struct netlink_ext_ack *extack)
{
	const char *path = nla_data(attr);
	const char *c, *end;
	size_t len;

	if (!kuchan_attr_one_string(attr)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "helper path has a NUL byte inside");
		return -EINVAL;
	}
	len = strlen(path);
	if (!len) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "helper path is empty");
		return -EINVAL;
	}
	if (len > KUCHAN_HELPER_PATH_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "helper path is longer than 255 bytes");
		return -EINVAL;
	}
	if (path[0] != '/') {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "helper path must be absolute (start with /)");
		return -EINVAL;
	}
	for (c = path; *c; c = end) {
		while (*c == '/')
			c++;
		end = strchrnul(c, '/');
		if (end - c == 2 && c[0] == '.' && c[1] == '.') {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "helper path must not have a .. component");
			return -EINVAL;
		}
	}
	return 0;
}

/* Builds the helper a HELPER_SET request describes, checking every part. */
static struct kuchan_helper *kuchan_helper_parse(struct genl_info *info)
{
	const struct nlattr *args = info->attrs[KUCHAN_A_HELPER_ARGS];
	const struct nlattr *values[KUCHAN_A_HELPER_ARGS_MAX_COUNT];
	const struct nlattr *path = info->attrs[KUCHAN_A_HELPER_PATH];
	struct nlattr *tb[KUCHAN_A_ARG_MAX + 1];
	struct kuchan_helper *cfg;
	unsigned int n = 0, i;
	enum kuchan_path_fault fault;
	struct nlattr *arg;
	size_t size;
	char *p;
	int rem, ret;

	if (GENL_REQ_ATTR_CHECK(info, KUCHAN_A_HELPER_PATH)) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing helper path");
		return ERR_PTR(-EINVAL);
	}
	if (info->attrs[KUCHAN_A_HELPER_STATIC_PATH]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KUCHAN_A_HELPER_STATIC_PATH],
				    "the static helper path is the kernel's to report, not to set");
		return ERR_PTR(-EINVAL);
	}
	ret = kuchan_helper_check_path(path, info->extack);
	if (ret)
		return ERR_PTR(ret);
	size = nla_len(path);

	if (args) {
		nla_for_each_nested(arg, args, rem) {
			if (n == ARRAY_SIZE(values)) {
				NL_SET_ERR_MSG_ATTR(info->extack, arg,
						    "too many helper arguments (at most 16)");
				return ERR_PTR(-E2BIG);
			}
			ret = nla_parse_nested(tb, KUCHAN_A_ARG_MAX, arg,
					       kuchan_arg_nl_policy,
					       info->extack);
			if (ret)
				return ERR_PTR(ret);
			if (!tb[KUCHAN_A_ARG_VALUE]) {
				NL_SET_ERR_MSG_ATTR(info->extack, arg,
						    "helper argument without a value");
				return ERR_PTR(-EINVAL);
			}
			if (!kuchan_attr_one_string(tb[KUCHAN_A_ARG_VALUE])) {
				NL_SET_ERR_MSG_ATTR(info->extack,
						    tb[KUCHAN_A_ARG_VALUE],
						    "helper argument has a NUL byte inside");
				return ERR_PTR(-EINVAL);
			}
			values[n++] = tb[KUCHAN_A_ARG_VALUE];
			size += nla_len(tb[KUCHAN_A_ARG_VALUE]);
		}
	}

	/* Last: the request is well formed, now look at the file system. */
	ret = kuchan_helper_path_safe(nla_data(path), &fault);
	if (ret) {
		kuchan_helper_path_fault(info->extack, path, fault);
		return ERR_PTR(ret);
	}

	cfg = kzalloc(struct_size(cfg, strings, size), GFP_KERNEL);
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	kref_init(&cfg->ref);
	cfg->size = size;
	cfg->nargs = n;
	if (info->attrs[KUCHAN_A_HELPER_EVENT_MASK])
		cfg->mask = nla_get_u64(info->attrs[KUCHAN_A_HELPER_EVENT_MASK]);
	p = cfg->strings;
	cfg->argv[0] = p;
	p += nla_strscpy(p, path, nla_len(path)) + 1;
	for (i = 0; i < n; i++) {
		cfg->argv[i + 1] = p;
		p += nla_strscpy(p, values[i], nla_len(values[i])) + 1;
	}
	cfg->argv[n + 1] = NULL;
	return cfg;
}

/* The HelperConfig attributes of @cfg. */
static int kuchan_helper_fill(struct kuchan_nlbuf *b,
			      const struct kuchan_helper *cfg)
{
	unsigned int i;
	int args, arg;

	if (kuchan_nlb_put_string(b, KUCHAN_A_HELPER_PATH, cfg->argv[0]) ||
	    kuchan_nlb_put_u64(b, KUCHAN_A_HELPER_EVENT_MASK, cfg->mask))
		return -EMSGSIZE;
#ifdef CONFIG_STATIC_USERMODEHELPER
	if (kuchan_nlb_put_string(b, KUCHAN_A_HELPER_STATIC_PATH,
				  CONFIG_STATIC_USERMODEHELPER_PATH))
		return -EMSGSIZE;
#endif
	if (!cfg->nargs)
		return 0;
	args = kuchan_nlb_nest_start(b, KUCHAN_A_HELPER_ARGS);
	if (args < 0)
		return -EMSGSIZE;
	for (i = 0; i < cfg->nargs; i++) {
		arg = kuchan_nlb_nest_start(b, i + 1);
		if (arg < 0 ||
		    kuchan_nlb_put_string(b, KUCHAN_A_ARG_VALUE,
					  cfg->argv[i + 1]))
			return -EMSGSIZE;
		kuchan_nlb_nest_end(b, arg);
	}
	kuchan_nlb_nest_end(b, args);
	return 0;
}

static size_t kuchan_helper_msg_size(const struct kuchan_helper *cfg)
{
	return cfg ? 512 + cfg->size +
		     cfg->nargs * 2 * nla_total_size(0) : 0;
}

/* EVENT_HELPER_CHANGED with the new helper, or none when cleared. */
static void kuchan_helper_changed(const struct kuchan_helper *cfg)
{
	struct kuchan_event ev;
	int nest, helper;

	/* In the HELPER_SET or HELPER_CLEAR request's handler. */
	if (!kuchan_event_begin_request(&ev, KUCHAN_EVENT_HELPER_CHANGED,
					64 + kuchan_helper_msg_size(cfg)))
		return;
	nest = kuchan_nlb_nest_start(&ev.b, KUCHAN_A_EVENT_HELPER_CHANGED);
	if (nest < 0)
		goto err;
	if (cfg) {
		helper = kuchan_nlb_nest_start(&ev.b,
					       KUCHAN_A_HELPER_CHANGED_HELPER);
		if (helper < 0 || kuchan_helper_fill(&ev.b, cfg))
			goto err;
		kuchan_nlb_nest_end(&ev.b, helper);
	}
	kuchan_nlb_nest_end(&ev.b, nest);
	kuchan_event_send(&ev);
	return;
err:
	kuchan_event_cancel(&ev);
}

/* Installs @cfg (NULL: none) and tells the world, under the lock. */
static void kuchan_helper_install(struct kuchan_helper *cfg)
{
	struct kuchan_helper *old;

	mutex_lock(&kuchan_helper_lock);
	old = kuchan_helper;
	kuchan_helper = cfg;
	WRITE_ONCE(kuchan_helper_types,
		   cfg ? kuchan_helper_types_for(cfg->mask) : 0);
	/* Under the lock: HELPER_CHANGED events come in the order of changes. */
	kuchan_helper_changed(cfg);
	mutex_unlock(&kuchan_helper_lock);
	kuchan_helper_release(old);
}

int kuchan_nl_helper_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kuchan_helper *cfg;
	int ret;

	ret = kuchan_helper_may_change(skb, info);
	if (ret)
		return ret;
	cfg = kuchan_helper_parse(info);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	kuchan_helper_install(cfg);
#ifdef CONFIG_STATIC_USERMODEHELPER
	/* Success, with a warning: the kernel will run something else. */
	NL_SET_ERR_MSG_MOD(info->extack,
			   "this kernel runs CONFIG_STATIC_USERMODEHELPER_PATH (\""
			   CONFIG_STATIC_USERMODEHELPER_PATH
			   "\") in place of every helper");
#endif
	return 0;
}

int kuchan_nl_helper_clear_doit(struct sk_buff *skb, struct genl_info *info)
{
	int ret;

	ret = kuchan_helper_may_change(skb, info);
	if (ret)
		return ret;
	kuchan_helper_install(NULL);
	return 0;
}

int kuchan_nl_helper_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kuchan_nlbuf b;
	struct kuchan_helper *cfg;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = kuchan_helper_may_read(skb, info);
	if (ret)
		return ret;
	cfg = kuchan_helper_get();
	msg = genlmsg_new(64 + kuchan_helper_msg_size(cfg), GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_cfg;
	}
	hdr = genlmsg_put_reply(msg, info, &kuchan_nl_family, 0,
				KUCHAN_CMD_HELPER_GET);
	b = kuchan_nlbuf_skb(msg);
	/* No helper: an empty reply. */
	if (!hdr || (cfg && kuchan_helper_fill(&b, cfg))) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
		goto out_cfg;
	}
	kuchan_nlbuf_skb_done(msg, &b);
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out_cfg:
	kuchan_helper_release(cfg);
	return ret;
}

/*
 * Suspend and hibernation. freeze_processes() waits at most five seconds
 * for running usermode helpers, then gives the suspend up; a helper may
 * run helper_timeout seconds, and any user can have one started (each
 * SIGNAL raises an event). So before the freeze, helpers are killed (their
 * runs reported with ECANCELED) and none starts until the resume; events
 * keep queueing meanwhile, within the queue's bounds.
 */
static int kuchan_helper_pm(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	int i;

	switch (action) {
	case PM_SUSPEND_PREPARE:
	case PM_HIBERNATION_PREPARE:
	case PM_RESTORE_PREPARE:
		spin_lock_irq(&kuchan_helper_jobs_lock);
		WRITE_ONCE(kuchan_helper_paused, true);
		spin_unlock_irq(&kuchan_helper_jobs_lock);
		for (i = 0; i < KUCHAN_HELPER_RUNNERS; i++)
			kuchan_helper_stop_runner(&kuchan_helper_runners[i],
						  -ECANCELED);
		flush_workqueue(kuchan_helper_wq);
		break;
	case PM_POST_SUSPEND:
	case PM_POST_HIBERNATION:
	case PM_POST_RESTORE:
		spin_lock_irq(&kuchan_helper_jobs_lock);
		WRITE_ONCE(kuchan_helper_paused, false);
		spin_unlock_irq(&kuchan_helper_jobs_lock);
		kuchan_helper_kick();
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block kuchan_helper_pm_notifier = {
	.notifier_call = kuchan_helper_pm,
};

/**
 * kuchan_helper_init() - get the helper's queue and runners ready
 *
 * Return: 0, -ENOMEM, or the PM notifier's registration error.
 */
int kuchan_helper_init(void)
{
	struct kuchan_helper_runner *r;
	int i, ret;

	kuchan_helper_wq = alloc_workqueue("kuchan_helper", WQ_UNBOUND,
					   KUCHAN_HELPER_RUNNERS);
	if (!kuchan_helper_wq)
		return -ENOMEM;
	for (i = 0; i < KUCHAN_HELPER_RUNNERS; i++) {
		r = &kuchan_helper_runners[i];
		INIT_WORK(&r->work, kuchan_helper_work);
		INIT_DELAYED_WORK(&r->killer, kuchan_helper_timeout);
		spin_lock_init(&r->lock);
	}
	ret = register_pm_notifier(&kuchan_helper_pm_notifier);
	if (ret) {
		destroy_workqueue(kuchan_helper_wq);
		return ret;
	}
	if (IS_ENABLED(CONFIG_STATIC_USERMODEHELPER))
		pr_info("this kernel forces a static usermode helper: it runs that in place of kuchan's helper\n");
	return 0;
}

/**
 * kuchan_helper_uninit() - stop running helpers and free everything
 *
 * Called after the family is unregistered (no request can set a helper
 * any more). Kills running helpers, lets the runners finish and waits for
 * them, so no work of ours is left running or queued.
 */
void kuchan_helper_uninit(void)
{
	struct kuchan_helper_job *job, *tmp;
	int i;

	unregister_pm_notifier(&kuchan_helper_pm_notifier);
	spin_lock_irq(&kuchan_helper_jobs_lock);
	WRITE_ONCE(kuchan_helper_stopping, true);
	spin_unlock_irq(&kuchan_helper_jobs_lock);

	mutex_lock(&kuchan_helper_lock);
	WRITE_ONCE(kuchan_helper_types, 0);
	kuchan_helper_release(kuchan_helper);
	kuchan_helper = NULL;
	mutex_unlock(&kuchan_helper_lock);

	for (i = 0; i < KUCHAN_HELPER_RUNNERS; i++)
		kuchan_helper_stop_runner(&kuchan_helper_runners[i],
					  -ECANCELED);
	destroy_workqueue(kuchan_helper_wq);
	for (i = 0; i < KUCHAN_HELPER_RUNNERS; i++)
		cancel_delayed_work_sync(&kuchan_helper_runners[i].killer);
	list_for_each_entry_safe(job, tmp, &kuchan_helper_jobs, node)
		kfree(job);
}
