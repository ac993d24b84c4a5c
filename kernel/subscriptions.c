// SPDX-License-Identifier: GPL-2.0
/*
 * KUCHAN_CMD_SUBSCRIBE, KUCHAN_CMD_UNSUBSCRIBE: signal subscriptions, the
 * kill_fasync() pattern done for events. A process asks to be sent a signal
 * when events of chosen types happen; kuchan sends it with si_code
 * SI_ASYNCIO and the event's sequence number in si_addr (all 64 bits), so
 * the process can find the event on the monitor group, or just react.
 *
 * The rules, and what each one stops:
 *
 * - A process subscribes itself and nobody else: the request names no
 *   process, the subscriber is the sender's thread group. Signalling another
 *   process is CMD_SIGNAL's business, with kill(2)'s rights.
 *
 * - Only the signals a notification needs: SIGUSR1, SIGUSR2, SIGIO and the
 *   real-time signals. The rest (SIGKILL, SIGSTOP, SIGSEGV, ...) would let a
 *   subscription act on the process instead of telling it something.
 *
 * - Never stronger than the subscriber's own kill(2), at every delivery, as
 *   kill_fasync() re-checks the owner recorded by F_SETOWN (sigio_perm()):
 *   the subscriber's credentials are recorded when it subscribes, and each
 *   signal goes through kill_pid_usb_asyncio(), the one exported function
 *   made for this pattern. It checks the recorded uid/euid against the
 *   process's current uid/suid (kill(2)'s uid rule), asks the LSM
 *   (security_task_kill() with the recorded credentials), and queues the
 *   signal for the process (PIDTYPE_TGID), not for a thread: a process
 *   whose main thread has ended still gets it. Its siginfo is SI_ASYNCIO
 *   with the value where si_pid and si_uid would be, hence si_addr.
 *
 * - Not across a change of credentials, as pdeath_signal is not: when any
 *   thread of the process has another euid, egid, fsuid or fsgid than the
 *   subscriber had, or capabilities beyond its (commit_creds()'s rule for
 *   clearing pdeath_signal, which a setuid, setgid or file-capability exec
 *   also meets), the subscription ends at its next event, before anything
 *   is sent, and is counted as revoked. So does one whose signal is
 *   refused (by the uid rule, or by the LSM, which is how a domain
 *   transition that changes no uid is caught). The check and the send
 *   happen under the process's exec_update_lock, so no exec commits new
 *   credentials between them. A process that gained privileges by exec or
 *   setuid(2) gets nothing that its subscriber's kill(2) could not have
 *   sent it before.
 *
 * - The socket's opener must be allowed to signal the subscriber, by the
 *   uid/CAP_KILL rule of kill(2). A netlink socket is a file: an
 *   unprivileged program could hand one to a privileged program and trick
 *   it into writing a SUBSCRIBE request (CVE-2014-0181's confused deputy),
 *   and the privileged program would then get signals, SIGKILL included,
 *   it never asked for.
 *
 * - At most max_subscriptions_per_user per real uid and max_subscriptions
 *   in all (module parameters), so that nobody can make every event cost
 *   unbounded work. One subscription per socket and process: subscribing
 *   again replaces it.
 *
 * - A subscription lives as long as both its socket and its process. The
 *   socket: the NETLINK_URELEASE notifier, which netlink_release() calls
 *   after it has taken the socket out of the port table and marked it dead
 *   (sock_orphan()). By then its port id may already belong to a new
 *   socket, which may even have subscribed: so a subscription holds a
 *   reference to its own struct sock, and the notifier removes only
 *   subscriptions whose socket is the dead one (SOCK_DEAD), never by port
 *   id alone. No request can race with the release: sendmsg() holds the
 *   file, and the release runs only when the last reference is gone. The
 *   process: the subscription holds its struct pid (the thread group's),
 *   so a recycled pid number never inherits it; when the process is gone
 *   (reaped), the subscription is dropped at the next event or subscribe.
 *
 * - Signals are sent from process context, from a work item that takes
 *   queued (type, seq) notes off a bounded ring; event delivery only
 *   queues them, in sequence order. The work holds only our own mutex
 *   while it sends, never a lock the signal path takes.
 *
 * What a subscription reveals: that events of the chosen types happen, and
 *   their numbers; never their content.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/rcupdate.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "events.h"
#include "netlink.h"
#include "subscriptions.h"

/* Events waiting to be signalled; more are dropped (and counted). */
#define KUCHAN_SUB_RING		256

static unsigned int max_subscriptions = 64;
module_param(max_subscriptions, uint, 0644);
MODULE_PARM_DESC(max_subscriptions,
		 "signal subscriptions in all (default 64)");
static unsigned int max_subscriptions_per_user = 8;
module_param(max_subscriptions_per_user, uint, 0644);
MODULE_PARM_DESC(max_subscriptions_per_user,
		 "signal subscriptions per user (default 8)");

struct kuchan_sub {
	struct list_head node;
	struct sock *sk;	/* the requesting socket, held */
	u32 portid;		/* its port id when it subscribed */
	struct pid *pid;	/* the subscriber's thread group, held */
	const struct cred *cred; /* its credentials when it subscribed */
	int sig;
	u64 types;
};

struct kuchan_sub_note {
	u64 seq;
	u32 type;
};

static DEFINE_MUTEX(kuchan_subs_lock);
static LIST_HEAD(kuchan_subs);			/* under kuchan_subs_lock */
static unsigned int kuchan_subs_count;		/* under kuchan_subs_lock */

static DEFINE_SPINLOCK(kuchan_ring_lock);
static struct kuchan_sub_note kuchan_ring[KUCHAN_SUB_RING];
static unsigned int kuchan_ring_head, kuchan_ring_tail;	/* ring lock */
static bool kuchan_ring_stopping;			/* ring lock */
static struct work_struct kuchan_subs_work;

static u64 kuchan_sub_types_for(u64 mask)
{
	return (mask ? mask : ~0ULL) & ~BIT_ULL(0);
}

/* Recomputes the union of all masks; under kuchan_subs_lock. */
static void kuchan_subs_update_types(void)
{
	struct kuchan_sub *sub;
	u64 types = 0;

	list_for_each_entry(sub, &kuchan_subs, node)
		types |= sub->types;
	kuchan_event_set_interest(KUCHAN_CONSUMER_SUBSCRIBERS, types);
}

static void kuchan_sub_del(struct kuchan_sub *sub)
{
	list_del(&sub->node);
	kuchan_subs_count--;
	sock_put(sub->sk);
	put_pid(sub->pid);
	put_cred(sub->cred);
	kfree(sub);
}

/*
 * Are @now's capabilities within @then's? cred_cap_issubset() of
 * kernel/cred.c, which commit_creds() asks before it keeps pdeath_signal;
 * it is not exported.
 */
static bool kuchan_caps_within(const struct cred *then, const struct cred *now)
{
	const struct user_namespace *ns = now->user_ns;

	if (then->user_ns == ns)
		return cap_issubset(now->cap_permitted, then->cap_permitted);
	for (; ns != &init_user_ns; ns = ns->parent)
		if (then->user_ns == ns->parent && uid_eq(ns->owner, then->euid))
			return true;
	return false;
}

/* Has @now another identity, or more capabilities, than @then? */
static bool kuchan_creds_changed(const struct cred *then,
				 const struct cred *now)
{
	return !uid_eq(then->euid, now->euid) ||
	       !gid_eq(then->egid, now->egid) ||
	       !uid_eq(then->fsuid, now->fsuid) ||
	       !gid_eq(then->fsgid, now->fsgid) ||
	       !kuchan_caps_within(then, now);
}

/*
 * -EPERM when some thread of @leader's process has changed credentials
 * since @sub was made (see the top of this file), else 0.
 */
static int kuchan_sub_check_threads(const struct kuchan_sub *sub,
				    struct task_struct *leader)
{
	struct task_struct *t;
	int ret = 0;

	rcu_read_lock();
	for_each_thread(leader, t) {
		if (kuchan_creds_changed(sub->cred, __task_cred(t))) {
			ret = -EPERM;
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}

/* -ESRCH when the subscriber is gone, else kuchan_sub_check_threads(). */
static int kuchan_sub_check(const struct kuchan_sub *sub)
{
	struct task_struct *leader;
	int ret;

	leader = get_pid_task(sub->pid, PIDTYPE_TGID);
	if (!leader)
		return -ESRCH;
	ret = kuchan_sub_check_threads(sub, leader);
	put_task_struct(leader);
	return ret;
}

/*
 * SI_ASYNCIO with si_addr = @seq to the subscriber's process, with the
 * subscriber's recorded rights (see the top of this file). 0 when sent;
 * -ESRCH when the process is gone; -EAGAIN when this signal could not be
 * sent now (an exec under way, the signal queue full); any other error
 * when it may no longer be signalled this way (credentials changed, the
 * uid rule or the LSM refused).
 */
static int kuchan_sub_signal(const struct kuchan_sub *sub, u64 seq)
{
	sigval_t value = { .sival_ptr = (void __user *)(unsigned long)seq };
	struct task_struct *leader;
	int ret;

	leader = get_pid_task(sub->pid, PIDTYPE_TGID);
	if (!leader)
		return -ESRCH;
	/*
	 * exec commits its new credentials holding exec_update_lock for
	 * writing: held from the check to the send, it keeps a setuid exec
	 * from slipping in between. Never waited for: an exec may be closing
	 * netlink sockets, whose release notifier takes kuchan_subs_lock,
	 * held here. An exec under way makes this one signal -EAGAIN.
	 */
	if (!down_read_trylock(&leader->signal->exec_update_lock)) {
		put_task_struct(leader);
		return -EAGAIN;
	}
	ret = kuchan_sub_check_threads(sub, leader);
	if (!ret)
		ret = kill_pid_usb_asyncio(sub->sig, 0, value, sub->pid,
					   sub->cred);
	up_read(&leader->signal->exec_update_lock);
	put_task_struct(leader);
	return ret;
}

static void kuchan_subs_work_fn(struct work_struct *work)
{
	struct kuchan_sub *sub, *tmp;
	struct kuchan_sub_note note;
	bool changed;
	int ret;

	for (;;) {
		spin_lock_irq(&kuchan_ring_lock);
		if (kuchan_ring_tail == kuchan_ring_head) {
			spin_unlock_irq(&kuchan_ring_lock);
			return;
		}
		note = kuchan_ring[kuchan_ring_tail++ % KUCHAN_SUB_RING];
		spin_unlock_irq(&kuchan_ring_lock);

		changed = false;
		mutex_lock(&kuchan_subs_lock);
		list_for_each_entry_safe(sub, tmp, &kuchan_subs, node) {
			if (note.type >= 64 || !(sub->types & BIT_ULL(note.type)))
				continue;
			ret = kuchan_sub_signal(sub, note.seq);
			if (!ret)
				continue;
			if (ret == -EAGAIN) {
				kuchan_event_lost(KUCHAN_LOSS_SUB_SIGNAL);
				continue;
			}
			/*
			 * Gone, or refused (an LSM says -EACCES): a refusal
			 * would repeat, and be audited, at every event.
			 */
			if (ret != -ESRCH)
				kuchan_event_lost(KUCHAN_LOSS_SUB_REVOKED);
			kuchan_sub_del(sub);
			changed = true;
		}
		if (changed)
			kuchan_subs_update_types();
		mutex_unlock(&kuchan_subs_lock);
		cond_resched();
	}
}

/**
 * kuchan_subscriptions_notify() - queue an event for the subscribers
 * @type: its type
 * @seq: its sequence number
 *
 * Any context, never sleeps; called by event delivery (events.c), one
 * event at a time, so notes are queued in sequence order.
 */
void kuchan_subscriptions_notify(u32 type, u64 seq)
{
	unsigned long flags;

	spin_lock_irqsave(&kuchan_ring_lock, flags);
	if (kuchan_ring_stopping) {
		/* unloading */
	} else if (kuchan_ring_head - kuchan_ring_tail >= KUCHAN_SUB_RING) {
		/* full: the subscriber's next si_addr shows the gap */
		kuchan_event_lost(KUCHAN_LOSS_SUB_SIGNAL);
	} else {
		kuchan_ring[kuchan_ring_head++ % KUCHAN_SUB_RING] =
			(struct kuchan_sub_note){ .seq = seq, .type = type };
		queue_work(system_wq, &kuchan_subs_work);
	}
	spin_unlock_irqrestore(&kuchan_ring_lock, flags);
}

/* The caller's subscription on @sk; under kuchan_subs_lock. */
static struct kuchan_sub *kuchan_sub_find(const struct sock *sk,
					  const struct pid *pid)
{
	struct kuchan_sub *sub;

	list_for_each_entry(sub, &kuchan_subs, node)
		if (sub->sk == sk && sub->pid == pid)
			return sub;
	return NULL;
}

/*
 * Drops subscriptions of processes that are gone or changed credentials;
 * under kuchan_subs_lock.
 */
static void kuchan_subs_prune(void)
{
	struct kuchan_sub *sub, *tmp;
	bool changed = false;
	int ret;

	list_for_each_entry_safe(sub, tmp, &kuchan_subs, node) {
		ret = kuchan_sub_check(sub);
		if (ret == -EPERM)
			kuchan_event_lost(KUCHAN_LOSS_SUB_REVOKED);
		if (ret) {
			kuchan_sub_del(sub);
			changed = true;
		}
	}
	if (changed)
		kuchan_subs_update_types();
}

/* A signal that tells rather than acts; see the top of this file. */
static bool kuchan_sub_signal_allowed(int sig)
{
	return sig == SIGUSR1 || sig == SIGUSR2 || sig == SIGIO ||
	       (sig >= SIGRTMIN && sig <= SIGRTMAX);
}

int kuchan_nl_subscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *mask = info->attrs[KUCHAN_A_SUBSCRIPTION_EVENT_MASK];
	struct sock *sk = NETLINK_CB(skb).sk;
	struct kuchan_sub *sub;
	unsigned int mine = 0;
	kuid_t uid = current_uid();
	const struct cred *cred;
	struct pid *pid;
	u64 types;
	int ret = 0, sig;

	if (GENL_REQ_ATTR_CHECK(info, KUCHAN_A_SUBSCRIPTION_SIGNAL)) {
		NL_SET_ERR_MSG(info->extack, "missing signal number");
		return -EINVAL;
	}
	sig = nla_get_u32(info->attrs[KUCHAN_A_SUBSCRIPTION_SIGNAL]);
	if (!kuchan_sub_signal_allowed(sig)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KUCHAN_A_SUBSCRIPTION_SIGNAL],
				    "a subscription's signal must be SIGUSR1, SIGUSR2, SIGIO or a real-time signal");
		return -EINVAL;
	}
	types = kuchan_sub_types_for(mask ? nla_get_u64(mask) : 0);

	/* See the top of this file: the confused deputy. */
	if (!kuchan_nl_opener_may_signal(skb, current_cred())) {
		NL_SET_ERR_MSG(info->extack,
			       "the socket's opener may not signal this process");
		return -EPERM;
	}

	pid = get_task_pid(current, PIDTYPE_TGID);
	cred = get_current_cred();
	mutex_lock(&kuchan_subs_lock);
	kuchan_subs_prune();
	sub = kuchan_sub_find(sk, pid);
	if (sub) {
		/* The rights are the subscriber's as it asks now. */
		swap(sub->cred, cred);
		sub->sig = sig;
		sub->types = types;
		goto out_update;
	}

	list_for_each_entry(sub, &kuchan_subs, node)
		if (uid_eq(sub->cred->uid, uid))
			mine++;
	if (mine >= READ_ONCE(max_subscriptions_per_user)) {
		NL_SET_ERR_MSG(info->extack,
			       "too many signal subscriptions for this user (max_subscriptions_per_user)");
		ret = -EDQUOT;
		goto out_unlock;
	}
	if (kuchan_subs_count >= READ_ONCE(max_subscriptions)) {
		NL_SET_ERR_MSG(info->extack,
			       "too many signal subscriptions (max_subscriptions)");
		ret = -ENOSPC;
		goto out_unlock;
	}
	sub = kzalloc(sizeof(*sub), GFP_KERNEL);
	if (!sub) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	sock_hold(sk);
	sub->sk = sk;
	sub->portid = NETLINK_CB(skb).portid;
	sub->pid = pid;
	pid = NULL;
	sub->cred = cred;
	cred = NULL;
	sub->sig = sig;
	sub->types = types;
	list_add_tail(&sub->node, &kuchan_subs);
	kuchan_subs_count++;
out_update:
	kuchan_subs_update_types();
out_unlock:
	mutex_unlock(&kuchan_subs_lock);
	put_pid(pid);
	if (cred)
		put_cred(cred);
	return ret;
}

int kuchan_nl_unsubscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kuchan_sub *sub;
	struct pid *pid;
	int ret = 0;

	pid = get_task_pid(current, PIDTYPE_TGID);
	mutex_lock(&kuchan_subs_lock);
	sub = kuchan_sub_find(NETLINK_CB(skb).sk, pid);
	if (sub) {
		kuchan_sub_del(sub);
		kuchan_subs_update_types();
	} else {
		NL_SET_ERR_MSG(info->extack,
			       "this process has no subscription on this socket");
		ret = -ENOENT;
	}
	mutex_unlock(&kuchan_subs_lock);
	put_pid(pid);
	return ret;
}

/* The socket is released: drop what it subscribed. See the top comment. */
static int kuchan_subs_netlink_event(struct notifier_block *nb,
				     unsigned long event, void *ptr)
{
	const struct netlink_notify *n = ptr;
	struct kuchan_sub *sub, *tmp;
	bool changed = false;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	mutex_lock(&kuchan_subs_lock);
	list_for_each_entry_safe(sub, tmp, &kuchan_subs, node) {
		if (sub->portid == n->portid && net_eq(sock_net(sub->sk), n->net) &&
		    sock_flag(sub->sk, SOCK_DEAD)) {
			kuchan_sub_del(sub);
			changed = true;
		}
	}
	if (changed)
		kuchan_subs_update_types();
	mutex_unlock(&kuchan_subs_lock);
	return NOTIFY_DONE;
}

static struct notifier_block kuchan_subs_notifier = {
	.notifier_call = kuchan_subs_netlink_event,
};

/**
 * kuchan_subscriptions_init() - start watching netlink sockets' release
 *
 * Return: 0, or the notifier registration's error.
 */
int kuchan_subscriptions_init(void)
{
	INIT_WORK(&kuchan_subs_work, kuchan_subs_work_fn);
	return netlink_register_notifier(&kuchan_subs_notifier);
}

/**
 * kuchan_subscriptions_uninit() - drop every subscription
 *
 * Called after the family is unregistered: no request adds one any more.
 * Waits for the signalling work, so none of it runs after unload.
 */
void kuchan_subscriptions_uninit(void)
{
	struct kuchan_sub *sub, *tmp;

	netlink_unregister_notifier(&kuchan_subs_notifier);
	spin_lock_irq(&kuchan_ring_lock);
	kuchan_ring_stopping = true;
	spin_unlock_irq(&kuchan_ring_lock);
	cancel_work_sync(&kuchan_subs_work);

	mutex_lock(&kuchan_subs_lock);
	kuchan_event_set_interest(KUCHAN_CONSUMER_SUBSCRIBERS, 0);
	list_for_each_entry_safe(sub, tmp, &kuchan_subs, node)
		kuchan_sub_del(sub);
	mutex_unlock(&kuchan_subs_lock);
}
