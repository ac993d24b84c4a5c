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
#include <linux/net.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink.h"

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

/*
 * Tries at registering a family whose monitor group nobody is in yet: an
 * attacker would have to rejoin within a few instructions each time.
 */
#define KUCHAN_NL_REGISTER_TRIES	4

/**
 * kuchan_netlink_init() - register the kuchan genetlink family
 *
 * Registers it so that its monitor group starts with no members. genl_bind()
 * lets anyone join a group id that no family owns, and registering a family
 * keeps such members when it hands it that id: an unprivileged process that
 * joined our old group id while kuchan was unloaded would read the next
 * module's events, whatever GENL_MCAST_CAP_NET_ADMIN says (the race suite
 * saw it on both kernels). Nobody can have joined legitimately in the
 * instant since registration, so members found then are stale;
 * unregistering clears every member of the family's groups, and the family
 * is registered again. Events are multicast in the initial network
 * namespace only, so that is where members matter.
 *
 * Return: 0; -EBUSY when stale members came back every time (the module
 * then does not load, rather than leak events); or the negative errno
 * genl_register_family() gave.
 */
int __init kuchan_netlink_init(void)
{
	int tries, ret;

	for (tries = 0; tries < KUCHAN_NL_REGISTER_TRIES; tries++) {
		ret = genl_register_family(&kuchan_nl_family);
		if (ret)
			return ret;
		if (!genl_has_listeners(&kuchan_nl_family, &init_net,
					KUCHAN_NLGRP_MONITOR))
			return 0;
		pr_info("clearing members left in the monitor group's id while kuchan was not loaded\n");
		genl_unregister_family(&kuchan_nl_family);
	}
	pr_err("members keep joining the monitor group's id as it is registered: not loading\n");
	return -EBUSY;
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
