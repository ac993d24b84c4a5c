// SPDX-License-Identifier: GPL-2.0
/*
 * The environment of a usermode helper run: the event it runs for, as
 * KUCHAN_* variables (docs/helper.md lists them), plus a fixed HOME and
 * PATH, and nothing inherited.
 *
 * The event's fields come from its attributes, as delivery copied them
 * (struct kuchan_helper_job): the message the group gets, read back with
 * the same attribute numbers. Event data is chosen by other users: each
 * variable is one envp entry, never split or interpreted; variable names
 * are ASCII [A-Za-z0-9_] (kuchan_helper_env_char()); event and origin
 * names come from the tables generated from the schema. Attributes a
 * newer payload adds are left out until this file names them. The buffer
 * is bounded: an entry that does not fit is left out, and nothing is ever
 * written past its end.
 */

#include <linux/kernel.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "helper.h"
#include "helper_priv.h"

/* The environment: at most this many entries and bytes. */
#define KUCHAN_ENV_MAX		64
#define KUCHAN_ENV_BYTES	8192

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
	const struct nlattr *helper, *a, *v;
	unsigned int argc = 0;
	int rem, rem2;

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
			case KUCHAN_A_HELPER_ARGS:	/* one per argument */
				v = nla_find_nested(a, KUCHAN_A_ARG_VALUE);
				argc++;
				if (v)
					kuchan_env_add(env,
						       "KUCHAN_HELPER_ARG%u=%.*s",
						       argc, kuchan_attr_strlen(v),
						       (const char *)nla_data(v));
				break;
			}
		}
		kuchan_env_add(env, "KUCHAN_HELPER_ARGC=%u", argc);
	}
}

static void kuchan_env_custom(struct kuchan_env *env,
			      const struct nlattr *nest)
{
	const struct nlattr *a, *key, *value;
	char name[32];
	int rem, i, len;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == KUCHAN_A_CUSTOM_CODE) {
			kuchan_env_add(env, "KUCHAN_CODE=%u",
				       kuchan_attr_u32(a));
			continue;
		}
		if (nla_type(a) != KUCHAN_A_CUSTOM_DATA)	/* one per pair */
			continue;
		key = nla_find_nested(a, KUCHAN_A_KV_KEY);
		value = nla_find_nested(a, KUCHAN_A_KV_VALUE);
		if (!key)
			continue;
		/*
		 * Keys are the event source's words: see
		 * kuchan_helper_env_char(). Keys that would give the same
		 * name were refused when the event was raised.
		 */
		len = min_t(int, kuchan_attr_strlen(key), sizeof(name) - 1);
		for (i = 0; i < len; i++)
			name[i] = kuchan_helper_env_char(((const char *)
						nla_data(key))[i]);
		name[len] = '\0';
		kuchan_env_add(env, "KUCHAN_DATA_%s=%.*s", name,
			       value ? kuchan_attr_strlen(value) : 0,
			       value ? (const char *)nla_data(value) : "");
	}
}

/*
 * The helper's environment: a fixed PATH and HOME, and the event. See
 * docs/helper.md for the list; unknown attributes (newer payloads) are
 * left out.
 */
struct kuchan_env *kuchan_helper_env(const struct kuchan_helper_job *job)
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
	if (job->type < ARRAY_SIZE(kuchan_event_type_names) &&
	    kuchan_event_type_names[job->type])
		kuchan_env_add(env, "KUCHAN_EVENT=%s",
			       kuchan_event_type_names[job->type]);
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
				       kuchan_attr_u32(a) < __KUCHAN_ORIGIN_MAX &&
				       kuchan_origin_names[kuchan_attr_u32(a)] ?
				       kuchan_origin_names[kuchan_attr_u32(a)] :
				       "unknown");
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

/* The NULL-terminated envp of @env, for call_usermodehelper_setup(). */
char **kuchan_env_vector(struct kuchan_env *env)
{
	return env->envp;
}

