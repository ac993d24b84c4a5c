// SPDX-License-Identifier: GPL-2.0
/*
 * KUCHAN_CMD_HELPER_{SET,GET,CLEAR}: the usermode helper, a program the
 * kernel runs for each event, with the event in its environment. This file
 * holds the helper as set and its commands; helper_path.c whose program it
 * may be, helper_env.c the environment of a run, helper_run.c the queue
 * and the runners.
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
 * inside, and name a program only root can change (helper_path.c).
 * Arguments and the event's fields are separate argv and envp entries: no
 * shell ever splits them. A change is announced as an EVENT_HELPER_CHANGED,
 * built here, and the event types the helper runs for are registered with
 * the event machinery (kuchan_event_set_interest()).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/err.h>
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/overflow.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "events.h"
#include "helper.h"
#include "helper_priv.h"
#include "netlink.h"
#include "nlbuf.h"

static DEFINE_MUTEX(kuchan_helper_lock);
static struct kuchan_helper *kuchan_helper;	/* under kuchan_helper_lock */

static void kuchan_helper_free(struct kref *ref)
{
	kfree(container_of(ref, struct kuchan_helper, ref));
}

/* Drops a reference kuchan_helper_get() gave; NULL is fine. */
void kuchan_helper_release(struct kuchan_helper *cfg)
{
	if (cfg)
		kref_put(&cfg->ref, kuchan_helper_free);
}

/* The helper as set now, referenced; NULL when there is none. */
struct kuchan_helper *kuchan_helper_get(void)
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
u64 kuchan_helper_types_for(u64 mask)
{
	if (!mask)
		mask = ~0ULL;
	return mask & ~(BIT_ULL(KUCHAN_EVENT_UNSPEC) |
			BIT_ULL(KUCHAN_EVENT_HELPER_RAN) |
			BIT_ULL(KUCHAN_EVENT_HELPER_DROPPED) |
			BIT_ULL(KUCHAN_EVENT_LOST));
}

/* See the top of this file for the attack each rule stops. */
static int kuchan_helper_may_change(struct sk_buff *skb,
				    struct genl_info *info)
{
	if (!kuchan_nl_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "changing the helper needs CAP_SYS_ADMIN in the initial user namespace, for the sender and the socket's opener");
		return -EPERM;
	}
	if (task_active_pid_ns(current) != &init_pid_ns) {
		NL_SET_ERR_MSG(info->extack,
			       "changing the helper is refused outside the initial PID namespace");
		return -EPERM;
	}
	if (!net_eq(genl_info_net(info), &init_net) ||
	    !net_eq(current->nsproxy->net_ns, &init_net)) {
		NL_SET_ERR_MSG(info->extack,
			       "changing the helper is refused outside the initial network namespace");
		return -EPERM;
	}
	return 0;
}

static int kuchan_helper_may_read(struct sk_buff *skb, struct genl_info *info)
{
	if (!kuchan_nl_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
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
	const struct nlattr *values[KUCHAN_A_HELPER_ARGS_MAX_COUNT];
	const struct nlattr *path = info->attrs[KUCHAN_A_HELPER_PATH];
	struct nlattr *tb[KUCHAN_A_ARG_MAX + 1];
	struct kuchan_helper *cfg;
	unsigned int n = 0, i;
	enum kuchan_path_fault fault;
	const struct nlattr *arg;
	size_t size;
	char *p;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KUCHAN_A_HELPER_PATH)) {
		NL_SET_ERR_MSG(info->extack, "missing helper path");
		return ERR_PTR(-EINVAL);
	}
	ret = kuchan_helper_check_path(path, info->extack);
	if (ret)
		return ERR_PTR(ret);
	size = nla_len(path);

	for (arg = kuchan_nl_next(info, KUCHAN_A_HELPER_ARGS, NULL); arg;
	     arg = kuchan_nl_next(info, KUCHAN_A_HELPER_ARGS, arg)) {
		if (n == ARRAY_SIZE(values)) {
			NL_SET_ERR_MSG_ATTR(info->extack, arg,
					    "too many helper arguments (at most 16)");
			return ERR_PTR(-E2BIG);
		}
		ret = nla_parse_nested(tb, KUCHAN_A_ARG_MAX, arg,
				       kuchan_arg_nl_policy, info->extack);
		if (ret)
			return ERR_PTR(ret);
		if (!tb[KUCHAN_A_ARG_VALUE]) {
			NL_SET_ERR_MSG_ATTR(info->extack, arg,
					    "helper argument without a value");
			return ERR_PTR(-EINVAL);
		}
		if (!kuchan_attr_one_string(tb[KUCHAN_A_ARG_VALUE])) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[KUCHAN_A_ARG_VALUE],
					    "helper argument has a NUL byte inside");
			return ERR_PTR(-EINVAL);
		}
		values[n++] = tb[KUCHAN_A_ARG_VALUE];
		size += nla_len(tb[KUCHAN_A_ARG_VALUE]);
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
	int arg;

	if (kuchan_nlb_put_string(b, KUCHAN_A_HELPER_PATH, cfg->argv[0]) ||
	    kuchan_nlb_put_u64_64bit(b, KUCHAN_A_HELPER_EVENT_MASK, cfg->mask,
				     KUCHAN_A_HELPER_PAD))
		return -EMSGSIZE;
#ifdef CONFIG_STATIC_USERMODEHELPER
	if (kuchan_nlb_put_string(b, KUCHAN_A_HELPER_STATIC_PATH,
				  CONFIG_STATIC_USERMODEHELPER_PATH))
		return -EMSGSIZE;
#endif
	/* One KUCHAN_A_HELPER_ARGS nest per argument, in order (multi-attr). */
	for (i = 0; i < cfg->nargs; i++) {
		arg = kuchan_nlb_nest_start(b, KUCHAN_A_HELPER_ARGS);
		if (arg < 0 ||
		    kuchan_nlb_put_string(b, KUCHAN_A_ARG_VALUE,
					  cfg->argv[i + 1]))
			return -EMSGSIZE;
		kuchan_nlb_nest_end(b, arg);
	}
	return 0;
}

static size_t kuchan_helper_msg_size(const struct kuchan_helper *cfg)
{
	return cfg ? 512 + cfg->size +
		     cfg->nargs * 2 * nla_total_size(0) : 0;
}

/* EVENT_HELPER_CHANGED with the new helper, or none when cleared. */
static void kuchan_helper_changed(const struct sk_buff *skb,
				  const struct kuchan_helper *cfg)
{
	struct kuchan_event ev;
	int nest, helper;

	/* In the HELPER_SET or HELPER_CLEAR request's handler. */
	if (!kuchan_event_begin_request(&ev, KUCHAN_EVENT_HELPER_CHANGED,
					64 + kuchan_helper_msg_size(cfg), skb))
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

/*
 * Installs @cfg (NULL: none) and tells the world, under the lock; @skb is
 * the request that asked.
 */
static void kuchan_helper_install(const struct sk_buff *skb,
				  struct kuchan_helper *cfg)
{
	struct kuchan_helper *old;

	mutex_lock(&kuchan_helper_lock);
	old = kuchan_helper;
	kuchan_helper = cfg;
	kuchan_event_set_interest(KUCHAN_CONSUMER_HELPER,
				  cfg ? kuchan_helper_types_for(cfg->mask) : 0);
	/* Under the lock: HELPER_CHANGED events come in the order of changes. */
	kuchan_helper_changed(skb, cfg);
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
	kuchan_helper_install(skb, cfg);
#ifdef CONFIG_STATIC_USERMODEHELPER
	/* Success, with a warning: the kernel will run something else. */
	NL_SET_ERR_MSG(info->extack,
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
	kuchan_helper_install(skb, NULL);
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

/**
 * kuchan_helper_init() - get the helper's queue and runners ready
 *
 * Return: 0, or kuchan_helper_runners_init()'s error.
 */
int kuchan_helper_init(void)
{
	if (IS_ENABLED(CONFIG_STATIC_USERMODEHELPER))
		pr_info("this kernel forces a static usermode helper: it runs that in place of kuchan's helper\n");
	return kuchan_helper_runners_init();
}

/**
 * kuchan_helper_uninit() - stop running helpers and free everything
 *
 * Called after the family is unregistered (no request can set a helper
 * any more): the runners stop, then the helper as set is dropped.
 */
void kuchan_helper_uninit(void)
{
	kuchan_helper_runners_uninit();
	mutex_lock(&kuchan_helper_lock);
	kuchan_event_set_interest(KUCHAN_CONSUMER_HELPER, 0);
	kuchan_helper_release(kuchan_helper);
	kuchan_helper = NULL;
	mutex_unlock(&kuchan_helper_lock);
}
