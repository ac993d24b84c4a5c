// SPDX-License-Identifier: GPL-2.0
/*
 * Processes as kuchan names them: in events (the actor, a signal's target)
 * and in requests (a SIGNAL target's start time). Identities in events are
 * numbered in the initial namespaces, where the monitor group's listeners
 * live; a start time is field 22 of /proc/PID/stat, in the reader's time
 * namespace for requests and in the initial one for events.
 */

#include <linux/cred.h>
#include <linux/math64.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/time_namespace.h>
#include <linux/uidgid.h>
#include <net/netlink.h>

#include "kuchan-nl-gen.h"
#include "nlbuf.h"
#include "process.h"

/* Nanoseconds since boot in clock ticks (USER_HZ), as /proc counts them. */
static u64 kuchan_boot_ticks(u64 ns)
{
	return div_u64(ns, NSEC_PER_SEC / USER_HZ);
}

/**
 * kuchan_start_time() - a task's start time as /proc/PID/stat says it
 * @t: the task
 * @reader: as the current task's time namespace sees it (what a request
 *          names); else as the initial one does (what events carry)
 *
 * Field 22 of /proc/PID/stat: clock ticks (USER_HZ) since boot, shifted
 * into the reader's time namespace like procfs does.
 *
 * Return: the start time in clock ticks.
 */
u64 kuchan_start_time(const struct task_struct *t, bool reader)
{
	return kuchan_boot_ticks(reader ? timens_add_boottime_ns(t->start_boottime) :
					  t->start_boottime);
}

/**
 * kuchan_actor_read() - read the current task, to name it in an event
 * @a: where to put it
 *
 * Context: task context, any locks held, interrupts on or off; not NMI.
 * Takes no lock: the name is copied as kuchan_nlb_put_process() does, and
 * the current task's credentials are its own to read.
 */
void kuchan_actor_read(struct kuchan_actor *a)
{
	a->start_boottime = current->start_boottime;
	a->pid = task_pid_nr(current);
	a->tgid = task_tgid_nr(current);
	a->uid = current_real_cred()->uid;	/* as __task_cred() gives */
	memcpy(a->comm, current->comm, sizeof(a->comm));	/* no lock */
	a->comm[sizeof(a->comm) - 1] = '\0';
}

/**
 * kuchan_put_actor() - put what kuchan_actor_read() read, as a Process nest
 * @skb: the message
 * @attr: the nest's attribute type
 * @a: the actor
 *
 * The same attributes, in the same order, as kuchan_nlb_put_process().
 *
 * Context: process context (delivery).
 * Return: 0, or -EMSGSIZE.
 */
int kuchan_put_actor(struct sk_buff *skb, int attr,
		     const struct kuchan_actor *a)
{
	struct nlattr *nest = nla_nest_start(skb, attr);

	if (!nest ||
	    nla_put_u32(skb, KUCHAN_A_PROCESS_PID, a->pid) ||
	    nla_put_u32(skb, KUCHAN_A_PROCESS_TGID, a->tgid) ||
	    nla_put_u32(skb, KUCHAN_A_PROCESS_UID,
			from_kuid_munged(&init_user_ns, a->uid)) ||
	    nla_put_string(skb, KUCHAN_A_PROCESS_COMM, a->comm) ||
	    nla_put_u64_64bit(skb, KUCHAN_A_PROCESS_START_TIME,
			      kuchan_boot_ticks(a->start_boottime),
			      KUCHAN_A_PROCESS_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * kuchan_nlb_put_process() - put a nest describing a task
 * @b: the attributes being written
 * @attr: the nest's attribute type (a Process set)
 * @t: the task; pinned by the caller (or current)
 *
 * Context: any but NMI; takes no lock. The name is copied without
 * task_lock(), which is not irq-safe: a rename racing with the copy may
 * show part of either name, as a lockless /proc read may.
 *
 * Return: 0, or -EMSGSIZE.
 */
int kuchan_nlb_put_process(struct kuchan_nlbuf *b, int attr,
			   struct task_struct *t)
{
	char comm[TASK_COMM_LEN];
	kuid_t uid;
	int nest;

	memcpy(comm, t->comm, sizeof(comm));	/* no lock: see above */
	comm[sizeof(comm) - 1] = '\0';
	rcu_read_lock();
	uid = __task_cred(t)->uid;
	rcu_read_unlock();

	nest = kuchan_nlb_nest_start(b, attr);
	if (nest < 0 ||
	    kuchan_nlb_put_u32(b, KUCHAN_A_PROCESS_PID, task_pid_nr(t)) ||
	    kuchan_nlb_put_u32(b, KUCHAN_A_PROCESS_TGID, task_tgid_nr(t)) ||
	    kuchan_nlb_put_u32(b, KUCHAN_A_PROCESS_UID,
			       from_kuid_munged(&init_user_ns, uid)) ||
	    kuchan_nlb_put_string(b, KUCHAN_A_PROCESS_COMM, comm) ||
	    kuchan_nlb_put_u64_64bit(b, KUCHAN_A_PROCESS_START_TIME,
				     kuchan_start_time(t, false),
				     KUCHAN_A_PROCESS_PAD))
		return -EMSGSIZE;
	kuchan_nlb_nest_end(b, nest);
	return 0;
}
