// SPDX-License-Identifier: GPL-2.0
/*
 * KUCHAN_CMD_SIGNAL: send a signal to processes, with exactly the rights the
 * caller's own kill(2) has, and nothing more.
 *
 * The rules, and the attack each one stops:
 *
 * - The doit runs in the sender's context (genetlink delivers requests
 *   synchronously from sendmsg), so kill_pid(pid, sig, 0) applies kill(2)'s
 *   own checks to the sender: check_kill_permission(), the audit hook and the
 *   LSM's security_task_kill(). priv is always 0: SEND_SIG_PRIV and
 *   SI_KERNEL would skip them all (the /proc/sig2pid hole).
 *
 * - The socket's opener must pass the same uid/CAP_KILL rule. A netlink
 *   socket is a file: a privileged program can be tricked into writing to a
 *   socket an unprivileged one opened and passed on (the confused deputy of
 *   CVE-2014-0181). Checking the opener's credentials as well as the
 *   sender's means the request is never stronger than either of them.
 *
 * - No signal with a value (SI_QUEUE): the request's value attribute is
 *   refused with EOPNOTSUPP. Such a signal needs a siginfo of its own, and
 *   no function the kernel exports to modules both takes one and applies
 *   check_kill_permission(), the LSM's security_task_kill() and the audit
 *   hook: kill_pid_info() and group_send_sig_info() are not exported,
 *   send_sig_info() checks nothing, and kill_pid_usb_asyncio() applies the
 *   LSM but neither CAP_KILL's rules nor audit. CAP_KILL is not what
 *   SELinux or AppArmor confine, so even a CAP_KILL-only rule would let a
 *   confined root service signal a domain its policy forbids. sigqueue(3)
 *   and pidfd_send_signal(2) from user space apply every check (and map
 *   si_uid into the target's user namespace once); kuchanctl and the
 *   library send value signals that way. Unexported functions are never
 *   looked up instead.
 *
 * - PIDs are read in the caller's PID namespace (find_get_pid()). Holding
 *   the struct pid from the start-time check to the send closes the PID
 *   reuse race: a recycled number gets a new struct pid, and a process that
 *   exits in between leaves ours empty, so the send fails with ESRCH.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "events.h"
#include "netlink.h"
#include "nlbuf.h"
#include "process.h"

struct kuchan_target {
	const struct nlattr *nest;	/* for extack: which target failed */
	const struct nlattr *start_time;	/* NULL, or the one named */
	pid_t nr;
	int err;
};

/**
 * kuchan_event_signal_sent() - tell listeners about a SIGNAL target
 * @skb: the request
 * @nr: the pid the caller named, in its namespace
 * @t: the target task, or NULL when there was none
 * @sig: the signal
 * @err: 0 or the negative errno the target got
 *
 * Context: the SIGNAL request's handler (its origin is the user's request,
 * and bounded by its user's rate).
 */
static void kuchan_event_signal_sent(const struct sk_buff *skb, pid_t nr,
				     struct task_struct *t, int sig, int err)
{
	struct kuchan_event ev;
	int nest, target;

	if (!kuchan_event_begin_request(&ev, KUCHAN_EVENT_SIGNAL_SENT, 192,
					skb))
		return;
	nest = kuchan_nlb_nest_start(&ev.b, KUCHAN_A_EVENT_SIGNAL_SENT);
	if (nest < 0)
		goto err;
	if (t) {
		if (kuchan_nlb_put_process(&ev.b, KUCHAN_A_SIGNAL_SENT_TARGET, t))
			goto err;
	} else {
		/* No such process: all we know is the number asked for. */
		target = kuchan_nlb_nest_start(&ev.b,
					       KUCHAN_A_SIGNAL_SENT_TARGET);
		if (target < 0 ||
		    kuchan_nlb_put_u32(&ev.b, KUCHAN_A_PROCESS_PID, nr))
			goto err;
		kuchan_nlb_nest_end(&ev.b, target);
	}
	if (kuchan_nlb_put_u32(&ev.b, KUCHAN_A_SIGNAL_SENT_SIGNAL, sig) ||
	    kuchan_nlb_put_u32(&ev.b, KUCHAN_A_SIGNAL_SENT_ERROR, -err))
		goto err;
	kuchan_nlb_nest_end(&ev.b, nest);
	kuchan_event_send(&ev);
	return;
err:
	kuchan_event_cancel(&ev);
}

/* kuchan_nl_opener_may_signal() with @t's credentials. */
static bool kuchan_opener_may_kill(const struct sk_buff *skb,
				   struct task_struct *t)
{
	const struct cred *tcred = get_task_cred(t);
	bool ok = kuchan_nl_opener_may_signal(skb, tcred);

	put_cred(tcred);
	return ok;
}

/*
 * Reads one target of the request. Every target is read before any is
 * signalled: a malformed one fails the whole request with nothing sent,
 * so a caller that retries it does not signal the others twice.
 */
static int kuchan_signal_parse(struct genl_info *info,
			       struct kuchan_target *target)
{
	struct nlattr *tb[KUCHAN_A_TARGET_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, KUCHAN_A_TARGET_MAX, target->nest,
			       kuchan_target_nl_policy, info->extack);
	if (ret)
		return ret;
	if (!tb[KUCHAN_A_TARGET_PID]) {
		NL_SET_ERR_ATTR_MISS(info->extack, target->nest,
				     KUCHAN_A_TARGET_PID);
		NL_SET_ERR_MSG(info->extack, "target without a pid");
		return -EINVAL;
	}
	target->nr = nla_get_s32(tb[KUCHAN_A_TARGET_PID]);
	if (target->nr <= 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KUCHAN_A_TARGET_PID],
				    "pid must be positive: process groups and all processes are not signalled");
		return -EINVAL;
	}
	target->start_time = tb[KUCHAN_A_TARGET_START_TIME];
	return 0;
}

static int kuchan_signal_one(struct sk_buff *skb, struct genl_info *info,
			     struct kuchan_target *target, int sig)
{
	struct task_struct *t;
	struct pid *pid;
	int ret;

	pid = find_get_pid(target->nr);
	t = pid ? get_pid_task(pid, PIDTYPE_PID) : NULL;
	if (!t) {
		ret = -ESRCH;
		NL_SET_ERR_MSG_ATTR(info->extack, target->nest,
				    "no such process");
		kuchan_event_signal_sent(skb, target->nr, NULL, sig, ret);
		goto out_pid;
	}

	if (!kuchan_opener_may_kill(skb, t)) {
		/*
		 * Say which one is refused: the sender's own kill(2) (probed
		 * with signal 0, which sends nothing), or only the opener.
		 */
		if (kill_pid(pid, 0, 0))
			NL_SET_ERR_MSG_ATTR(info->extack, target->nest,
					    "not allowed to signal this process");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, target->nest,
					    "the socket's opener may not signal this process");
		ret = -EPERM;
		kuchan_event_signal_sent(skb, target->nr, t, sig, ret);
		goto out_task;
	}

	if (target->start_time) {
		/*
		 * Only for a caller that may signal the process: else a
		 * mismatch (ESRCH) and a match (EPERM) would tell anyone the
		 * start time of any process, even one /proc hides from them.
		 */
		ret = kill_pid(pid, 0, 0);
		if (ret) {
			if (ret == -EPERM)
				NL_SET_ERR_MSG_ATTR(info->extack, target->nest,
						    "not allowed to signal this process");
			else
				NL_SET_ERR_MSG_ATTR(info->extack, target->nest,
						    "no such process");
			kuchan_event_signal_sent(skb, target->nr, t, sig, ret);
			goto out_task;
		}
		if (nla_get_u64(target->start_time) !=
		    kuchan_start_time(t, true)) {
			ret = -ESRCH;
			NL_SET_ERR_MSG_ATTR(info->extack, target->start_time,
					    "process started at another time: its pid was reused");
			/* The process meant is gone: do not name the new one. */
			kuchan_event_signal_sent(skb, target->nr, NULL, sig, ret);
			goto out_task;
		}
	}

	ret = kill_pid(pid, sig, 0);
	if (ret == -EPERM)
		NL_SET_ERR_MSG_ATTR(info->extack, target->nest,
				    "not allowed to signal this process");
	else if (ret == -ESRCH)
		NL_SET_ERR_MSG_ATTR(info->extack, target->nest,
				    "no such process");
	else if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, target->nest,
				    "signal not sent");
	kuchan_event_signal_sent(skb, target->nr, t, sig, ret);

out_task:
	put_task_struct(t);
out_pid:
	put_pid(pid);
	return ret;
}

/*
 * Per-target results, sent before the ACK when some target failed; a reply
 * that cannot be built or queued is not sent (the ACK still is).
 */
static void kuchan_signal_reply(struct genl_info *info,
				const struct kuchan_target *targets, int n)
{
	struct nlattr *result;
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = genlmsg_new(n * (nla_total_size(0) +
			       2 * nla_total_size(sizeof(u32))),
			  GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put_reply(msg, info, &kuchan_nl_family, 0,
				KUCHAN_CMD_SIGNAL);
	if (!hdr)
		goto err_msg;
	/* One KUCHAN_A_SIGNAL_RESULTS nest per target (multi-attr). */
	for (i = 0; i < n; i++) {
		result = nla_nest_start(msg, KUCHAN_A_SIGNAL_RESULTS);
		if (!result ||
		    nla_put_s32(msg, KUCHAN_A_RESULT_PID, targets[i].nr) ||
		    nla_put_u32(msg, KUCHAN_A_RESULT_ERROR, -targets[i].err))
			goto err_msg;
		nla_nest_end(msg, result);
	}
	genlmsg_end(msg, hdr);
	genlmsg_reply(msg, info);
	return;

err_msg:
	nlmsg_free(msg);
}

int kuchan_nl_signal_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *value = info->attrs[KUCHAN_A_SIGNAL_VALUE];
	int n = 0, i = 0, failed = 0, first_err = 0, sig, ret;
	struct kuchan_target *targets;
	const struct nlattr *nest;

	if (GENL_REQ_ATTR_CHECK(info, KUCHAN_A_SIGNAL_TARGETS)) {
		NL_SET_ERR_MSG(info->extack, "missing targets");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, KUCHAN_A_SIGNAL_SIGNAL)) {
		NL_SET_ERR_MSG(info->extack, "missing signal number");
		return -EINVAL;
	}
	sig = nla_get_u32(info->attrs[KUCHAN_A_SIGNAL_SIGNAL]);
	if (!valid_signal(sig)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KUCHAN_A_SIGNAL_SIGNAL],
				    "invalid signal number");
		return -EINVAL;
	}

	/* See the top of this file for why there are no value signals. */
	if (value) {
		NL_SET_ERR_MSG_ATTR(info->extack, value,
				    "signals with a value are not sent by the module: use sigqueue(3) or pidfd_send_signal(2), which apply every check");
		return -EOPNOTSUPP;
	}

	for (nest = kuchan_nl_next(info, KUCHAN_A_SIGNAL_TARGETS, NULL); nest;
	     nest = kuchan_nl_next(info, KUCHAN_A_SIGNAL_TARGETS, nest)) {
		if (++n > KUCHAN_A_SIGNAL_TARGETS_MAX_COUNT) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "too many targets in one request");
			return -E2BIG;
		}
	}
	targets = kcalloc(n, sizeof(*targets), GFP_KERNEL);
	if (!targets)
		return -ENOMEM;
	for (nest = kuchan_nl_next(info, KUCHAN_A_SIGNAL_TARGETS, NULL); nest;
	     nest = kuchan_nl_next(info, KUCHAN_A_SIGNAL_TARGETS, nest)) {
		targets[i].nest = nest;
		ret = kuchan_signal_parse(info, &targets[i++]);
		if (ret)
			goto out;
	}

	/*
	 * Every target is tried, as kill(1) does. The extack describes the
	 * first failure only, so later targets must not overwrite it.
	 */
	for (i = 0; i < n; i++) {
		struct netlink_ext_ack *extack = info->extack;

		if (failed)
			info->extack = NULL;
		targets[i].err = kuchan_signal_one(skb, info, &targets[i], sig);
		info->extack = extack;
		if (targets[i].err && !failed++)
			first_err = targets[i].err;
	}

	/*
	 * The reply tells the caller which targets failed, with their errno;
	 * the ACK alone names only the first (and its extack). When the
	 * reply cannot be sent (no memory, the caller's receive buffer
	 * full), the ACK still carries that first error, not the reply's.
	 */
	ret = first_err;
	if (failed)
		kuchan_signal_reply(info, targets, n);
out:
	kfree(targets);
	return ret;
}
