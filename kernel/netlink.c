// SPDX-License-Identifier: GPL-2.0
/*
 * Registration of the kuchan genetlink family. The policies, the ops table,
 * the groups and the family struct are generated from proto/kuchan.proto
 * into kuchan-nl-gen.c; the handlers are written by hand, one concern per
 * file.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/net.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink.h"

/**
 * kuchan_nl_next() - the next member of a multi-attr in a request
 * @info: the request
 * @type: the attribute type
 * @prev: the member before, or NULL for the first
 *
 * A multi-attr is one attribute type given again and again at the top of
 * the request; info->attrs[] keeps only the last, and the core validated
 * each against the op's policy. Walk them with
 * for (a = kuchan_nl_next(info, T, NULL); a; a = kuchan_nl_next(info, T, a)).
 *
 * Return: the next attribute of @type after @prev, or NULL.
 */
const struct nlattr *kuchan_nl_next(const struct genl_info *info, int type,
				    const struct nlattr *prev)
{
	const struct nlattr *head = genlmsg_data(info->genlhdr);
	int rem = genlmsg_len(info->genlhdr);
	const struct nlattr *a;

	if (prev) {
		rem -= (const u8 *)prev - (const u8 *)head;
		head = nla_next(prev, &rem);
	}
	nla_for_each_attr(a, head, rem, rem)
		if (nla_type(a) == type)
			return a;
	return NULL;
}

/**
 * kuchan_nl_capable() - may both the sender and the socket's opener use @cap?
 * @skb: the request
 * @cap: the capability, in the initial user namespace
 *
 * netlink_capable() checks the opener only when the sender did not name the
 * destination address (NETLINK_SKB_DST): it guards write(2) on a passed
 * socket, but every sendto()/sendmsg() with an address, which is how libnl
 * and most programs send, skips the opener. A privileged program tricked
 * into sending on a socket an unprivileged one opened (CVE-2014-0181) must
 * not lend it its rights either way, so this checks both, always.
 *
 * Return: true when both hold @cap in the initial user namespace.
 */
bool kuchan_nl_capable(const struct sk_buff *skb, int cap)
{
	const struct socket *sock = NETLINK_CB(skb).sk->sk_socket;

	return sock && sock->file &&
	       file_ns_capable(sock->file, &init_user_ns, cap) &&
	       capable(cap);
}

/**
 * kuchan_nl_opener_cred() - the credentials the request's socket was opened with
 * @skb: the request
 *
 * No reference is taken: the sender's sendmsg() holds the socket's file,
 * whose f_cred lives until the file is freed, so the pointer is good for
 * the request's handling and must not be kept beyond it.
 *
 * Context: a request handler (process context, in the sender's sendmsg()).
 * Return: the opener's credentials, or NULL for a socket without a file
 * (a kernel socket).
 */
const struct cred *kuchan_nl_opener_cred(const struct sk_buff *skb)
{
	const struct socket *sock = NETLINK_CB(skb).sk->sk_socket;

	return sock && sock->file ? sock->file->f_cred : NULL;
}

/**
 * kuchan_cred_init_capable() - do @cred hold @cap in the initial user namespace?
 * @cred: recorded credentials (a socket opener's), or NULL
 * @cap: the capability
 *
 * A look at the recorded capabilities, no LSM call nor audit record: for
 * decisions that grant no right (a delivery filter, a rate exemption).
 * In the initial namespace, ns_capable()'s walk reduces to this. An LSM
 * that denies the opener the capability is not asked (security_capable()
 * is not exported, and file_ns_capable() would audit every event): a
 * root opener an LSM confines still counts as privileged here.
 *
 * Context: any; @cred pinned by its holder (a socket's file) for the call.
 * Return: true when they do.
 */
bool kuchan_cred_init_capable(const struct cred *cred, int cap)
{
	return cred && cred->user_ns == &init_user_ns &&
	       cap_raised(cred->cap_effective, cap);
}

/**
 * kuchan_nl_opener_may_signal() - may the socket's opener signal a task?
 * @skb: the request
 * @tcred: the target task's credentials
 *
 * kill_ok_by_cred() of kernel/signal.c, asked of the opener of the socket
 * @skb came from instead of the running task: the other half of the
 * confused-deputy rule kuchan_nl_capable() follows.
 *
 * Return: true when the opener's uid or euid matches the target's uid or
 * suid, or the opener holds CAP_KILL over the target's user namespace.
 */
bool kuchan_nl_opener_may_signal(const struct sk_buff *skb,
				 const struct cred *tcred)
{
	const struct socket *sock = NETLINK_CB(skb).sk->sk_socket;
	const struct file *file = sock ? sock->file : NULL;
	const struct cred *fcred;

	if (!file)
		return false;
	fcred = file->f_cred;
	return uid_eq(fcred->euid, tcred->suid) ||
	       uid_eq(fcred->euid, tcred->uid) ||
	       uid_eq(fcred->uid, tcred->suid) ||
	       uid_eq(fcred->uid, tcred->uid) ||
	       file_ns_capable(file, tcred->user_ns, CAP_KILL);
}

#ifdef KUCHAN_HAVE_BROADCAST_FILTERED
static bool monitor_receivers_checked = true;
#else
static bool monitor_receivers_checked;
#endif
module_param(monitor_receivers_checked, bool, 0444);
MODULE_PARM_DESC(monitor_receivers_checked,
		 "read-only: every monitor receiver's socket opener is checked for CAP_NET_ADMIN at delivery (kernels exporting netlink_broadcast_filtered())");

#ifdef KUCHAN_HAVE_BROADCAST_FILTERED
/*
 * netlink_broadcast_filtered()'s filter: nonzero skips @dsk. A receiver
 * whose socket was opened without CAP_NET_ADMIN in the initial user
 * namespace gets nothing, however it joined (see kuchan_nl_multicast()).
 * Runs for each member under the broadcast's locks, maybe with interrupts
 * off: a look at the opener's recorded capabilities, no LSM call (which
 * may audit and allocate). The socket cannot be freed meanwhile:
 * netlink_release() takes it out of the group under netlink_table_grab(),
 * which waits for the broadcast.
 */
static int kuchan_nl_unprivileged_receiver(struct sock *dsk,
					   struct sk_buff *skb, void *data)
{
	const struct socket *sock = READ_ONCE(dsk->sk_socket);

	return !sock || !sock->file ||
	       !kuchan_cred_init_capable(sock->file->f_cred, CAP_NET_ADMIN);
}
#endif

/**
 * kuchan_nl_multicast() - multicast an event on the monitor group
 * @skb: the event; consumed
 *
 * In the initial network namespace. Where the kernel exports
 * netlink_broadcast_filtered(), every receiver's opener is checked for
 * CAP_NET_ADMIN: genl_bind() checks only at join time, and lets anyone
 * join a group id no family owns (a member that joined while kuchan was
 * unloaded, or that passed the check while the id was free and joined just
 * after registration, would otherwise read events). Elsewhere (6.1) only
 * kuchan_netlink_init()'s clearing of stale members stands.
 *
 * Context: any; never sleeps.
 * Return: 0, or -ESRCH when no socket took it.
 */
int kuchan_nl_multicast(struct sk_buff *skb)
{
#ifdef KUCHAN_HAVE_BROADCAST_FILTERED
	return genlmsg_multicast_netns_filtered(&kuchan_nl_family, &init_net,
						skb, 0, KUCHAN_NLGRP_MONITOR,
						GFP_ATOMIC,
						kuchan_nl_unprivileged_receiver,
						NULL);
#else
	return genlmsg_multicast(&kuchan_nl_family, skb, 0,
				 KUCHAN_NLGRP_MONITOR, GFP_ATOMIC);
#endif
}

/**
 * kuchan_netlink_init() - register the kuchan genetlink family
 *
 * Registers it so that its monitor group starts with no members. genl_bind()
 * lets anyone join a group id that no family owns, and registering a family
 * keeps such members when it hands it that id: an unprivileged process that
 * joined our old group id while kuchan was unloaded would read the next
 * module's events, whatever GENL_MCAST_CAP_NET_ADMIN says (the race suite
 * saw it on both kernels). Unregistering clears every member of the
 * family's groups, in every network namespace; so when the group has
 * members right after registration, the family is registered once more.
 * The listener bitmap is not per namespace, so a container's own member
 * (which receives nothing: events go to the initial namespace only) also
 * causes that, harmlessly; it never makes loading fail.
 *
 * What this leaves: the core checks a join and makes it in two steps, so a
 * join checked while the id was free (also in the instant between the two
 * registrations) can land after. Clearing again would open the same
 * window again. Where the kernel exports netlink_broadcast_filtered()
 * (6.12), kuchan_nl_multicast() refuses such members at delivery; on 6.1 a
 * local user who wins that race reads events (monitor_receivers_checked
 * says which case a machine is in; docs/security.md).
 *
 * Return: 0, or the negative errno genl_register_family() gave.
 */
int __init kuchan_netlink_init(void)
{
	int ret;

	ret = genl_register_family(&kuchan_nl_family);
	if (ret || !genl_has_listeners(&kuchan_nl_family, &init_net,
				       KUCHAN_NLGRP_MONITOR))
		return ret;
	genl_unregister_family(&kuchan_nl_family);
	return genl_register_family(&kuchan_nl_family);
}

/**
 * kuchan_netlink_uninit() - unregister the family
 *
 * genl_unregister_family() waits for running handlers and removes the
 * multicast group, so nothing of ours runs after it returns.
 */
void kuchan_netlink_uninit(void)
{
	genl_unregister_family(&kuchan_nl_family);
}
