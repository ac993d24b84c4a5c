// SPDX-License-Identifier: GPL-2.0
/*
 * Events: raising them (the in-kernel API, EMIT, and the builders kuchan's
 * own producers call), delivering them, and their counters.
 *
 * An event has up to three consumers: listeners on the group, the usermode
 * helper (helper.c, which gets a copy of the event's attributes) and signal
 * subscriptions (subscriptions.c, which get its type and number).
 * kuchan_event_begin() asks each whether it wants the event; when none
 * does, nothing is built and no number used, and the three checks
 * (genl_has_listeners() and two word reads) make that case cost a few
 * nanoseconds.
 *
 * Raising and delivering are two halves (event_ring.c): the raiser builds
 * the event, as netlink attributes, straight into its CPU's buffer, in any
 * context but NMI and without allocating or taking a lock; one drainer, in
 * process context, takes the buffers' records in order and hands them here
 * (kuchan_event_deliver()).
 *
 * The rule for payloads: each producer builds its own, through one small
 * API: kuchan_event_begin() (or kuchan_event_begin_request() for events a
 * request raises), the kuchan_nlb_*() writers (nlbuf.h) and
 * kuchan_nlb_put_process() (process.c) for the payload nest, then
 * kuchan_event_send() or kuchan_event_cancel(). So signal.c builds
 * SIGNAL_SENT, helper.c HELPER_CHANGED, helper_run.c HELPER_RAN, and this
 * file the events that are its own: CUSTOM (the in-kernel API and EMIT),
 * the loss report (HELPER_DROPPED) and LOST. This file puts the common
 * attributes (number, time, type, origin, actor) and owns what consumers
 * want (kuchan_event_set_interest()).
 *
 * Delivery numbers every event from one counter for the family, in the
 * order it delivers, hands it to the helper's and the subscriptions'
 * queues, and packs it into the current batch: one datagram carries as
 * many event messages as fit in a page, so a burst costs one clone and one
 * wakeup per listener per batch, not per event. A lone event goes out at
 * once. Each consumer receives events in sequence order, and the helper's
 * KUCHAN_SEQ and a subscriber's si_addr name the same event as the
 * multicast. Numbers are taken only by events that had a consumer when
 * raised. A listener on the group therefore sees a gap only for events it
 * missed: its socket overflowed, or, while it was joining, an event raised
 * just before went to the helper or subscribers alone. Events a CPU's
 * buffer had no room for never get a number; an EVENT_LOST in their place
 * says how many.
 *
 * Every event says who raised it (Event.origin): the kernel, or a request
 * from user space, so that a daemon acting on kernel events cannot be
 * fooled by a user's EMIT. What one unprivileged user's requests can make
 * kuchan do is bounded, so that nobody can crowd out everyone else's
 * events: the events its requests raise are rate-limited per user
 * (kuchan_user_may_raise()), and they take at most a share of the helper's
 * queue (helper.c). What is lost is counted by reason for GET_STATS and
 * reported in one coalesced EVENT_HELPER_DROPPED at most once a second,
 * never one event per loss.
 *
 * Unloading closes the event machinery before the family is unregistered
 * (kuchan_events_close()): after that nothing is raised into a buffer,
 * numbered, queued or multicast, so a producer finishing late (a helper
 * run, a request) never multicasts on a group id that is no longer ours.
 *
 * Process identities in events are the initial namespaces' (process.c).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hardirq.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "event_ring.h"
#include "events.h"
#include "helper.h"
#include "include/kuchan.h"
#include "netlink.h"
#include "nlbuf.h"
#include "process.h"
#include "subscriptions.h"

DEFINE_PER_CPU(struct kuchan_stats, kuchan_stats);
u64 kuchan_event_interest[__KUCHAN_CONSUMERS];

/**
 * kuchan_event_set_interest() - say which event types a consumer wants
 * @who: the consumer
 * @types: bit (1 << type) for each; 0 for none
 *
 * Read by every raise (kuchan_event_consumers()): a word each, no lock.
 * Events raised just before a change may still be delivered the old way;
 * each consumer checks again when it acts (the helper's runner, the
 * subscriptions' masks).
 */
void kuchan_event_set_interest(enum kuchan_consumer who, u64 types)
{
	WRITE_ONCE(kuchan_event_interest[who], types);
}

/* What GET_STATS reports: the per-CPU counters summed and derived. */
struct kuchan_stats_sum {
	u64 raised;
	u64 multicast;
	u64 batches;
	u64 dropped_no_listener;
	u64 dropped_nomem;
	u64 lost[__KUCHAN_LOSS_MAX];
	u64 raised_by_type[__KUCHAN_EVENT_TYPE_MAX];
};

static void kuchan_stats_sum(struct kuchan_stats_sum *sum)
{
	unsigned int t;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct kuchan_stats *s = per_cpu_ptr(&kuchan_stats, cpu);

		sum->multicast += READ_ONCE(s->multicast);
		sum->batches += READ_ONCE(s->batches);
		sum->dropped_no_listener += READ_ONCE(s->left_before_send);
		sum->dropped_nomem += READ_ONCE(s->dropped_nomem);
		for (t = 0; t < ARRAY_SIZE(s->lost); t++)
			sum->lost[t] += READ_ONCE(s->lost[t]);
		for (t = 0; t < ARRAY_SIZE(s->unheard); t++) {
			u64 unheard = READ_ONCE(s->unheard[t]);
			u64 built = READ_ONCE(s->consumed[t]);

			sum->raised_by_type[t] += unheard + built;
			sum->raised += unheard + built;
			sum->dropped_no_listener += unheard;
		}
	}
}

/* The worker's state (event_ring.c runs it, one at a time). */
static u64 kuchan_seq;			/* the last number given */
static struct sk_buff *kuchan_batch;	/* messages not multicast yet */
static unsigned int kuchan_batch_msgs;
static u32 kuchan_backlog;		/* kuchan_event_backlog()'s hint */
/*
 * The number of the last event every listener has been sent or lost:
 * published after each multicast, for GET_STATS's last_seq.
 */
static u64 kuchan_published_seq;
static bool kuchan_events_closed;

static unsigned int user_event_rate = 100;
module_param(user_event_rate, uint, 0644);
MODULE_PARM_DESC(user_event_rate,
		 "events a second one unprivileged user's requests may raise, in bursts of twice that (default 100)");

/*
 * One token bucket per unprivileged user, in a fixed table: users whose
 * uids hash alike share a bucket (bounded memory, whatever the number of
 * users). Not the kernel's ratelimit_state: its ___ratelimit() refuses
 * whenever its lock is contended and prints a warning per window, and
 * neither is what a fair share wants.
 */
#define KUCHAN_RATE_BITS	6
struct kuchan_rate {
	unsigned long stamp;	/* jiffies up to which tokens were added */
	unsigned long tokens;
};

static DEFINE_SPINLOCK(kuchan_rate_lock);
static struct kuchan_rate kuchan_rates[1 << KUCHAN_RATE_BITS];

/* Losses since the last report; see kuchan_event_lost(). */
static atomic64_t kuchan_unreported[__KUCHAN_LOSS_REPORTED];
static struct delayed_work kuchan_loss_report_work;

/* The actor nest at most: pid, tgid, uid, comm, start time. */
#define KUCHAN_ACTOR_MAX	(NLA_HDRLEN + 3 * nla_total_size(sizeof(u32)) + \
				 nla_total_size(TASK_COMM_LEN) + \
				 nla_total_size_64bit(sizeof(u64)))

/**
 * kuchan_event_build() - start an event that has consumers
 * @ev: the event to fill in
 * @type: a KUCHAN_EVENT_* type
 * @to: the consumers kuchan_event_consumers() found
 * @origin: KUCHAN_ORIGIN_KERNEL or KUCHAN_ORIGIN_USER
 * @payload: bytes, at most, the caller will add after the common attributes
 *
 * The slow half of kuchan_event_begin(): counts the event, reserves room in
 * this CPU's buffer and puts the header and the actor. The actor is the
 * current task when raised in task context; from interrupt context there
 * is none and it is left out.
 *
 * Context: any but NMI. On true, interrupts are off on this CPU until the
 * event is sent or cancelled.
 * Return: true when the caller should add its payload and send; false when
 * the buffer is full (counted, and reported in order in the stream).
 */
bool kuchan_event_build(struct kuchan_event *ev, u32 type, u32 to,
			u32 origin, size_t payload)
{
	bool task = in_task();
	u32 actor = task ? sizeof(struct kuchan_actor) : 0;
	struct kuchan_rec *rec;

	BUILD_BUG_ON(__KUCHAN_EVENT_TYPE_MAX >= KUCHAN_REC_LOST);
	BUILD_BUG_ON(offsetof(struct kuchan_rec, attrs) % 8);
	if (type < __KUCHAN_EVENT_TYPE_MAX)
		this_cpu_inc(kuchan_stats.consumed[type]);
	rec = kuchan_ring_reserve(&ev->res, sizeof(*rec) + actor +
				  min_t(size_t, payload, U16_MAX));
	if (!rec) {
		this_cpu_inc(kuchan_stats.lost[KUCHAN_LOSS_BUFFER_FULL]);
		return false;
	}
	rec->type = type;
	rec->origin = origin;
	rec->to = to;
	rec->actor = task;
	rec->user = INVALID_UID;
	rec->mono = ktime_get_mono_fast_ns();
	if (task)
		kuchan_actor_read((struct kuchan_actor *)rec->attrs);
	ev->b = (struct kuchan_nlbuf){ .data = rec->attrs + actor,
				       .cap = ev->res.size - sizeof(*rec) -
					      actor };
	return true;
}

/*
 * A requester is trusted with every event it raises when it holds
 * CAP_NET_ADMIN (which EMIT needs) or CAP_SYS_ADMIN (which HELPER_SET needs)
 * in the initial user namespace. Both the sender and the socket's opener
 * must: a privileged program tricked into sending on a socket an
 * unprivileged one opened does not lift the opener's rate (the confused
 * deputy).
 */
static bool kuchan_sender_privileged(void)
{
	return ns_capable_noaudit(&init_user_ns, CAP_NET_ADMIN) ||
	       ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN);
}

static bool kuchan_opener_privileged(const struct cred *opener)
{
	return kuchan_cred_init_capable(opener, CAP_NET_ADMIN) ||
	       kuchan_cred_init_capable(opener, CAP_SYS_ADMIN);
}

/*
 * May @uid's requests raise one more event? Refills the user's bucket by
 * user_event_rate tokens a second, up to twice that; the time a partial
 * token took stays owed. Process context.
 */
static bool kuchan_user_may_raise(kuid_t uid)
{
	struct kuchan_rate *r =
		&kuchan_rates[hash_32(__kuid_val(uid), KUCHAN_RATE_BITS)];
	unsigned long rate = clamp(READ_ONCE(user_event_rate), 1U, 1000000U);
	unsigned long now = jiffies, elapsed, add;
	bool ok;

	spin_lock(&kuchan_rate_lock);
	elapsed = now - r->stamp;
	if (!r->stamp || elapsed >= 2 * HZ) {
		r->tokens = 2 * rate;	/* idle long enough: a full bucket */
		r->stamp = now;
	} else {
		add = elapsed * rate / HZ;
		if (add) {
			r->tokens = min(2 * rate, r->tokens + add);
			/* Rounded up: never past now, never crediting twice. */
			r->stamp += DIV_ROUND_UP(add * HZ, rate);
		}
	}
	if (!r->stamp)
		r->stamp = 1;	/* 0 means never used */
	ok = r->tokens > 0;
	if (ok)
		r->tokens--;
	spin_unlock(&kuchan_rate_lock);
	return ok;
}

/**
 * kuchan_event_begin_request() - start an event a user's request raises
 * @ev: the event to fill in
 * @type: a KUCHAN_EVENT_* type
 * @payload: bytes, at most, the caller will add after the common attributes
 * @skb: the request
 *
 * As kuchan_event_begin(), for the request being handled: the event's
 * origin is KUCHAN_ORIGIN_USER. When the sender or the socket's opener
 * lacks both CAP_NET_ADMIN and CAP_SYS_ADMIN in the initial user
 * namespace, the event counts against a user's rate (the sender's, or the
 * opener's when only the opener lacks them), and is not raised beyond it
 * (counted, and reported); the helper's queue then gives it only that
 * user's share. A socket without a file (a kernel socket) has no opener
 * to exempt: the sender's uid is charged.
 *
 * Context: process context, in the requester's task (a request handler).
 * On true, interrupts are off until the event is sent or cancelled.
 * Return: true when the caller should add its payload and send.
 */
bool kuchan_event_begin_request(struct kuchan_event *ev, u32 type,
				size_t payload, const struct sk_buff *skb)
{
	const struct cred *opener = kuchan_nl_opener_cred(skb);
	u32 to = kuchan_event_want(type);
	kuid_t user = INVALID_UID;
	bool sender;

	if (!to)
		return false;
	sender = kuchan_sender_privileged();
	if (!sender || !kuchan_opener_privileged(opener)) {
		/* The unprivileged one pays: the sender, else the opener. */
		user = sender && opener ? opener->uid : current_uid();
		if (!kuchan_user_may_raise(user)) {
			kuchan_event_lost(KUCHAN_LOSS_RATE_LIMITED);
			return false;
		}
	}
	if (!kuchan_event_build(ev, type, to, KUCHAN_ORIGIN_USER, payload))
		return false;
	ev->res.rec->user = user;
	return true;
}

/**
 * kuchan_event_lost() - count a loss, and have it reported
 * @why: the reason
 *
 * Losses of the reported kinds are summed into one EVENT_HELPER_DROPPED,
 * sent at most once a second from process context: a flood of losses
 * raises one report, not one event each.
 *
 * Context: process context (a request handler or the delivery worker):
 * the reported kinds queue the report's work.
 */
void kuchan_event_lost(enum kuchan_loss why)
{
	this_cpu_inc(kuchan_stats.lost[why]);
	if (why >= __KUCHAN_LOSS_REPORTED)
		return;
	atomic64_inc(&kuchan_unreported[why]);
	if (!READ_ONCE(kuchan_events_closed))
		queue_delayed_work(system_wq, &kuchan_loss_report_work, HZ);
}

/* The coalesced report of what kuchan_event_lost() counted since the last. */
static void kuchan_loss_report(struct work_struct *work)
{
	u64 n[__KUCHAN_LOSS_REPORTED];
	struct kuchan_event ev;
	u64 any = 0;
	int i, nest;

	for (i = 0; i < __KUCHAN_LOSS_REPORTED; i++) {
		n[i] = atomic64_xchg(&kuchan_unreported[i], 0);
		any |= n[i];
	}
	if (!any || !kuchan_event_begin(&ev, KUCHAN_EVENT_HELPER_DROPPED, 128))
		return;
	nest = kuchan_nlb_nest_start(&ev.b, KUCHAN_A_EVENT_HELPER_DROPPED);
	if (nest < 0 ||
	    kuchan_nlb_put_u64_64bit(&ev.b, KUCHAN_A_HELPER_DROPPED_COUNT,
				     n[KUCHAN_LOSS_HELPER_FULL] +
				     n[KUCHAN_LOSS_HELPER_SHARE] +
				     n[KUCHAN_LOSS_HELPER_NOMEM],
				     KUCHAN_A_HELPER_DROPPED_PAD) ||
	    kuchan_nlb_put_u64_64bit(&ev.b, KUCHAN_A_HELPER_DROPPED_QUEUE_FULL,
				     n[KUCHAN_LOSS_HELPER_FULL],
				     KUCHAN_A_HELPER_DROPPED_PAD) ||
	    kuchan_nlb_put_u64_64bit(&ev.b, KUCHAN_A_HELPER_DROPPED_USER_SHARE,
				     n[KUCHAN_LOSS_HELPER_SHARE],
				     KUCHAN_A_HELPER_DROPPED_PAD) ||
	    kuchan_nlb_put_u64_64bit(&ev.b, KUCHAN_A_HELPER_DROPPED_NOMEM,
				     n[KUCHAN_LOSS_HELPER_NOMEM],
				     KUCHAN_A_HELPER_DROPPED_PAD) ||
	    kuchan_nlb_put_u64_64bit(&ev.b,
				     KUCHAN_A_HELPER_DROPPED_RATE_LIMITED,
				     n[KUCHAN_LOSS_RATE_LIMITED],
				     KUCHAN_A_HELPER_DROPPED_PAD)) {
		kuchan_event_cancel(&ev);
		return;
	}
	kuchan_nlb_nest_end(&ev.b, nest);
	kuchan_event_send(&ev);
}

/**
 * kuchan_event_cancel() - drop an event the caller could not finish
 * @ev: an event kuchan_event_begin() started
 *
 * Its payload did not fit what it reserved: counted as dropped_nomem.
 */
void kuchan_event_cancel(struct kuchan_event *ev)
{
	kuchan_ring_discard(&ev->res);
	this_cpu_inc(kuchan_stats.dropped_nomem);
}

/**
 * kuchan_event_send() - hand a built event to delivery
 * @ev: an event kuchan_event_begin() started, with its payload
 *
 * Publishes its record in this CPU's buffer and kicks the delivery worker
 * when it was not kicked already.
 *
 * Context: as kuchan_event_begin(), on the same CPU; never sleeps.
 */
void kuchan_event_send(struct kuchan_event *ev)
{
	struct kuchan_rec *rec = ev->res.rec;

	rec->attrs_len = ev->b.len;
	rec->len = sizeof(*rec) + (rec->actor ? sizeof(struct kuchan_actor) : 0) +
		   ev->b.len;
	kuchan_ring_commit(&ev->res);
}

/* The common attributes of an event message; in the delivery worker. */
/* Common attributes: two u64s, two u32s, three pads at most (see below). */
#define KUCHAN_EVENT_HEAD	(GENL_HDRLEN + \
				 2 * nla_total_size_64bit(sizeof(u64)) + \
				 2 * nla_total_size(sizeof(u32)) + \
				 nla_total_size(0))

/*
 * Room for a message of @attrs bytes after the common attributes: in the
 * current batch, or in a new one (flushing the current). A batch is a page
 * at most, unless one event needs more: receivers' buffers are sized for
 * the kernel's own datagrams (a page), kuchan's Subscriber's for 8 KiB.
 */
static struct sk_buff *kuchan_batch_room(u32 attrs)
{
	u32 need = nlmsg_total_size(KUCHAN_EVENT_HEAD + attrs);
	u32 size;

	if (kuchan_batch && skb_tailroom(kuchan_batch) < need)
		kuchan_event_flush();
	if (!kuchan_batch) {
		/* What is waiting, if less than a page: a lone event's size. */
		size = clamp_t(u32, kuchan_backlog, need, NLMSG_GOODSIZE);
		kuchan_batch = alloc_skb(max(size, need), GFP_KERNEL);
		kuchan_batch_msgs = 0;
	}
	return kuchan_batch;
}

/**
 * kuchan_event_backlog() - say how much the buffers hold
 * @bytes: their records' size, headers included
 *
 * A drainer's hint at the start of a pass, so that a batch is no bigger
 * than what will fill it. Context: as kuchan_event_deliver().
 */
void kuchan_event_backlog(u32 bytes)
{
	/* A message takes ~40 bytes more than its record's attributes. */
	kuchan_backlog = bytes + bytes / 4;
}

/*
 * Puts one event message into @skb: the common attributes (its number
 * taken now), the actor when there is one, then @attrs as the record has
 * them. Returns its header, or NULL when @skb has no room (not possible
 * after kuchan_batch_room()).
 */
static struct nlmsghdr *kuchan_put_message(struct sk_buff *skb, u64 seq,
					   u64 ts, u32 type, u32 origin,
					   const struct kuchan_actor *actor,
					   const void *attrs, u32 len)
{
	void *hdr;

	hdr = genlmsg_put(skb, 0, 0, &kuchan_nl_family, 0,
			  KUCHAN_CMD_EVENT_NTF);
	if (!hdr ||
	    nla_put_u64_64bit(skb, KUCHAN_A_EVENT_SEQ, seq, KUCHAN_A_EVENT_PAD) ||
	    nla_put_u64_64bit(skb, KUCHAN_A_EVENT_TIMESTAMP_NS, ts,
			      KUCHAN_A_EVENT_PAD) ||
	    nla_put_u32(skb, KUCHAN_A_EVENT_TYPE, type) ||
	    nla_put_u32(skb, KUCHAN_A_EVENT_ORIGIN, origin) ||
	    (actor && kuchan_put_actor(skb, KUCHAN_A_EVENT_ACTOR, actor)))
		return NULL;
#ifndef CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS
	/*
	 * The record's u64s were aligned on its own address
	 * (kuchan_nlb_put_u64_64bit()): copy it to a tail of the same
	 * alignment modulo 8, so that they are aligned in the message too.
	 */
	if ((((unsigned long)skb_tail_pointer(skb) ^ (unsigned long)attrs) & 7) &&
	    nla_put(skb, KUCHAN_A_EVENT_PAD, 0, NULL))
		return NULL;
#endif
	if (skb_tailroom(skb) < len)
		return NULL;
	skb_put_data(skb, attrs, len);
	genlmsg_end(skb, hdr);
	return (struct nlmsghdr *)((u8 *)hdr - GENL_HDRLEN - NLMSG_HDRLEN);
}

/*
 * Numbers an event and gives it to its consumers: the helper's queue and
 * the subscriptions' get their copies now; the message stays in the batch
 * for the group only when the group wants it.
 */
static void kuchan_deliver_one(u32 type, u32 origin, u32 to, kuid_t user,
			       u64 ts, const struct kuchan_actor *actor,
			       const void *attrs, u32 len)
{
	struct kuchan_helper_job *job;
	struct genlmsghdr *gnlh;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	u8 *mark;

	if (READ_ONCE(kuchan_events_closed))
		return;
	skb = kuchan_batch_room(len + (actor ? KUCHAN_ACTOR_MAX : 0));
	if (!skb) {
		this_cpu_inc(kuchan_stats.dropped_nomem);
		return;
	}
	mark = skb_tail_pointer(skb);
	nlh = kuchan_put_message(skb, ++kuchan_seq, ts, type, origin, actor,
				 attrs, len);
	if (WARN_ON_ONCE(!nlh)) {
		nlmsg_trim(skb, mark);
		this_cpu_inc(kuchan_stats.dropped_nomem);
		return;
	}
	if (to & KUCHAN_TO_HELPER) {
		gnlh = nlmsg_data(nlh);
		job = kuchan_helper_job_new(type, user, genlmsg_data(gnlh),
					    genlmsg_len(gnlh));
		kuchan_helper_queue(job, kuchan_seq);
	}
	if (to & KUCHAN_TO_SUBSCRIBERS)
		kuchan_subscriptions_notify(type, kuchan_seq);
	if (to & KUCHAN_TO_MONITOR)
		kuchan_batch_msgs++;
	else
		nlmsg_trim(skb, mark);
}

/*
 * CLOCK_REALTIME of a raise: the raise reads only the monotonic clock (one
 * clock read on the raise path), delivery adds the wall clock's offset. A
 * wall clock set in between moves the time by as much.
 */
static u64 kuchan_wall_ns(u64 mono)
{
	return ktime_to_ns(ktime_mono_to_real(ns_to_ktime(mono)));
}

/**
 * kuchan_event_deliver() - number, queue and batch one raised event
 * @rec: its record, as raised
 *
 * Context: a drainer (event_ring.c: the worker, or a request delivering
 * what it raised), process context, one at a time.
 */
void kuchan_event_deliver(const struct kuchan_rec *rec)
{
	const struct kuchan_actor *actor = NULL;
	const u8 *attrs = rec->attrs;

	if (rec->actor) {
		actor = (const struct kuchan_actor *)attrs;
		attrs += sizeof(*actor);
	}
	kuchan_deliver_one(rec->type, rec->origin, rec->to, rec->user,
			   kuchan_wall_ns(rec->mono), actor, attrs,
			   rec->attrs_len);
}

/**
 * kuchan_event_deliver_lost() - report events a CPU's buffer refused
 * @count: how many
 * @cpu: the CPU they were raised on
 *
 * An EVENT_LOST, numbered in its place among that CPU's events, to
 * whoever wants that type now. Never for the helper (its types exclude
 * it: it would run for the buffers' overflow, feeding it).
 *
 * Context: a drainer (event_ring.c: the worker, or a request delivering
 * what it raised), process context, one at a time.
 */
void kuchan_event_deliver_lost(u32 count, unsigned int cpu)
{
	u8 attrs[32] __aligned(8);	/* the nest, a pad, a u64 and a u32 */
	struct kuchan_nlbuf b = { .data = attrs, .cap = sizeof(attrs) };
	u32 to = kuchan_event_want(KUCHAN_EVENT_LOST);
	int nest;

	if (!to)
		return;
	this_cpu_inc(kuchan_stats.consumed[KUCHAN_EVENT_LOST]);
	nest = kuchan_nlb_nest_start(&b, KUCHAN_A_EVENT_LOST);
	if (nest < 0 ||
	    kuchan_nlb_put_u64_64bit(&b, KUCHAN_A_LOST_COUNT, count,
				     KUCHAN_A_LOST_PAD) ||
	    kuchan_nlb_put_u32(&b, KUCHAN_A_LOST_CPU, cpu))
		return;
	kuchan_nlb_nest_end(&b, nest);
	kuchan_deliver_one(KUCHAN_EVENT_LOST, KUCHAN_ORIGIN_KERNEL,
			   to & ~KUCHAN_TO_HELPER, INVALID_UID,
			   ktime_get_real_ns(), NULL, attrs, b.len);
}

/**
 * kuchan_event_flush() - multicast the batch
 *
 * Then publishes the last number given as GET_STATS's last_seq: every
 * event up to it is in each listener's queue, or was dropped there.
 *
 * Context: a drainer (event_ring.c: the worker, or a request delivering
 * what it raised), process context, one at a time.
 */
void kuchan_event_flush(void)
{
	struct sk_buff *skb = kuchan_batch;
	unsigned int n = kuchan_batch_msgs;
	int ret;

	kuchan_batch = NULL;
	kuchan_batch_msgs = 0;
	if (skb && (!n || READ_ONCE(kuchan_events_closed))) {
		kfree_skb(skb);
	} else if (skb) {
		ret = kuchan_nl_multicast(skb);
		/*
		 * -ESRCH says that no socket took it: the last listener left
		 * since the events were raised, or every listener's queue
		 * was full (a lone subscriber that reads too slowly). The
		 * numbers stay used in both cases: in the second, the gap
		 * they leave is how the listeners count what they lost
		 * (ENOBUFS says that events were lost, not how many).
		 */
		if (ret == -ESRCH &&
		    !genl_has_listeners(&kuchan_nl_family, &init_net,
					KUCHAN_NLGRP_MONITOR)) {
			this_cpu_add(kuchan_stats.left_before_send, n);
		} else {
			this_cpu_add(kuchan_stats.multicast, n);
			this_cpu_inc(kuchan_stats.batches);
		}
	}
	WRITE_ONCE(kuchan_published_seq, kuchan_seq);
}

/* Builds and sends a custom event whose arguments kuchan_raise() checked. */
static noinline int kuchan_raise_build(u32 code, const struct kuchan_kv *data,
				       unsigned int n, size_t size, u32 to,
				       u32 origin)
{
	/*
	 * Not zeroed first (CONFIG_INIT_STACK_ALL_ZERO would, on every
	 * raise): kuchan_event_build() sets every field it returns true with.
	 */
	struct kuchan_event ev __uninitialized;
	int nest, kv;
	unsigned int i;

	if (!kuchan_event_build(&ev, KUCHAN_EVENT_CUSTOM, to, origin, size))
		return 0;
	nest = kuchan_nlb_nest_start(&ev.b, KUCHAN_A_EVENT_CUSTOM);
	if (nest < 0 || kuchan_nlb_put_u32(&ev.b, KUCHAN_A_CUSTOM_CODE, code))
		goto err;
	/* One KUCHAN_A_CUSTOM_DATA nest per pair, in order (multi-attr). */
	for (i = 0; i < n; i++) {
		kv = kuchan_nlb_nest_start(&ev.b, KUCHAN_A_CUSTOM_DATA);
		if (kv < 0 ||
		    kuchan_nlb_put_string(&ev.b, KUCHAN_A_KV_KEY, data[i].key) ||
		    kuchan_nlb_put_string(&ev.b, KUCHAN_A_KV_VALUE,
					  data[i].value))
			goto err;
		kuchan_nlb_nest_end(&ev.b, kv);
	}
	kuchan_nlb_nest_end(&ev.b, nest);
	kuchan_event_send(&ev);
	return 0;
err:
	kuchan_event_cancel(&ev);
	return -EMSGSIZE;
}

/* Raises a custom event, or counts it when nobody wants it. */
static __always_inline int kuchan_raise_sized(u32 code,
					      const struct kuchan_kv *data,
					      unsigned int n, size_t size,
					      u32 origin)
{
	u32 to = kuchan_event_want(KUCHAN_EVENT_CUSTOM);

	return to ? kuchan_raise_build(code, data, n, size, to, origin) : 0;
}

/*
 * Do two keys of @data give the helper the same variable name? Their names
 * are KUCHAN_DATA_ and the key with every byte outside [A-Za-z0-9_] made
 * '_' (kuchan_helper_env_char()): "a-b" and "a_b" would collide, and the
 * helper would see one of them only. Keys are at most 31 bytes.
 *
 * Return: the index of the later key of the first such pair, or -1.
 */
static int kuchan_kv_collision(const struct kuchan_kv *data, unsigned int n)
{
	unsigned int i, j, k;

	for (i = 1; i < n; i++) {
		for (j = 0; j < i; j++) {
			const char *a = data[i].key, *b = data[j].key;

			for (k = 0; a[k] && b[k]; k++)
				if (kuchan_helper_env_char(a[k]) !=
				    kuchan_helper_env_char(b[k]))
					break;
			if (!a[k] && !b[k])
				return i;
		}
	}
	return -1;
}

/*
 * A custom event with key/value pairs. The pairs are checked first, whether
 * or not anybody listens, so that a caller's mistake shows on its first
 * call and not only once a monitor runs.
 */
static noinline int kuchan_raise_pairs(u32 code, const struct kuchan_kv *data,
				       unsigned int n, u32 origin)
{
	size_t size = 64;
	unsigned int i;

	if (n > KUCHAN_A_CUSTOM_DATA_MAX_COUNT)
		return -E2BIG;
	for (i = 0; i < n; i++) {
		size_t klen = strnlen(data[i].key, 32);
		size_t vlen = strnlen(data[i].value, 128);

		if (!klen || klen > 31 || vlen > 127)
			return -EINVAL;
		size += 3 * NLA_HDRLEN + NLA_ALIGN(klen + 1) + NLA_ALIGN(vlen + 1);
	}
	if (kuchan_kv_collision(data, n) >= 0)
		return -EINVAL;
	return kuchan_raise_sized(code, data, n, size, origin);
}

/*
 * Inlined into both callers. An event without pairs that nobody consumes
 * costs the listener test and one per-CPU increment, with no call of
 * kuchan's own and only @code kept across the test: the pairs' loop lives
 * out of line, so that it does not make every raise save and restore
 * registers.
 */
static __always_inline int kuchan_raise(u32 code, const struct kuchan_kv *data,
					unsigned int n, u32 origin)
{
	if (n)
		return kuchan_raise_pairs(code, data, n, origin);
	return kuchan_raise_sized(code, NULL, 0, 64, origin);
}

/**
 * kuchan_raise_custom() - raise a custom event from kernel code
 * @code: the event's code, the caller's to define
 * @data: @n key/value pairs (keys 1..31 bytes, values 0..127 bytes; no two
 *        keys alike once every byte outside [A-Za-z0-9_] is read as '_')
 * @n: at most KUCHAN_A_CUSTOM_DATA_MAX_COUNT
 *
 * Callable from process, softirq and hard-irq context, with any locks held
 * (the caller's spinlocks, irq-safe or not, the scheduler's, a
 * waitqueue's), with interrupts or preemption off, and on PREEMPT_RT: it
 * copies the event into this CPU's buffer, with interrupts off for the
 * copy, and takes no lock, allocates nothing and wakes nobody (delivery
 * runs later, in process context). Not from NMI: -EOPNOTSUPP. An event
 * raised while nobody listens is counted and not delivered, and one this
 * CPU's buffer has no room for is counted and reported in the stream; for
 * neither is there an error.
 *
 * Return: 0; -EINVAL or -E2BIG for bad arguments; -EOPNOTSUPP in NMI.
 * The event's origin is the kernel.
 */
int kuchan_raise_custom(u32 code, const struct kuchan_kv *data, unsigned int n)
{
	if (unlikely(in_nmi()))
		return -EOPNOTSUPP;
	return kuchan_raise(code, data, n, KUCHAN_ORIGIN_KERNEL);
}
EXPORT_SYMBOL_GPL(kuchan_raise_custom);

int kuchan_nl_emit_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kuchan_kv data[KUCHAN_A_CUSTOM_DATA_MAX_COUNT];
	const struct nlattr *pairs[KUCHAN_A_CUSTOM_DATA_MAX_COUNT];
	struct nlattr *tb[KUCHAN_A_KV_MAX + 1];
	const struct nlattr *nest;
	unsigned int n = 0;
	int ret;

	/* Sender and opener: see kuchan_nl_capable() and the schema. */
	if (!kuchan_nl_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "emitting events needs CAP_NET_ADMIN, for the sender and the socket's opener");
		return -EPERM;
	}
	if (GENL_REQ_ATTR_CHECK(info, KUCHAN_A_CUSTOM_CODE)) {
		NL_SET_ERR_MSG(info->extack, "missing event code");
		return -EINVAL;
	}
	for (nest = kuchan_nl_next(info, KUCHAN_A_CUSTOM_DATA, NULL); nest;
	     nest = kuchan_nl_next(info, KUCHAN_A_CUSTOM_DATA, nest)) {
		if (n == ARRAY_SIZE(data)) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "too many key/value pairs");
			return -E2BIG;
		}
		ret = nla_parse_nested(tb, KUCHAN_A_KV_MAX, nest,
				       kuchan_kv_nl_policy, info->extack);
		if (ret)
			return ret;
		if (!tb[KUCHAN_A_KV_KEY] || !nla_len(tb[KUCHAN_A_KV_KEY]) ||
		    !*(char *)nla_data(tb[KUCHAN_A_KV_KEY])) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "key/value pair without a key");
			return -EINVAL;
		}
		data[n].key = nla_data(tb[KUCHAN_A_KV_KEY]);
		data[n].value = tb[KUCHAN_A_KV_VALUE] ?
				nla_data(tb[KUCHAN_A_KV_VALUE]) : "";
		pairs[n] = nest;
		n++;
	}
	ret = kuchan_kv_collision(data, n);
	if (ret >= 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, pairs[ret],
				    "two keys give the helper the same variable name (bytes outside [A-Za-z0-9_] read as '_')");
		return -EINVAL;
	}
	/*
	 * Delivered when EMIT returns, by this request itself: the
	 * requester's next look sees it, and no worker is woken for it.
	 */
	preempt_disable();
	kuchan_ring_hold_kicks(true);
	ret = kuchan_raise(nla_get_u32(info->attrs[KUCHAN_A_CUSTOM_CODE]),
			   data, n, KUCHAN_ORIGIN_USER);
	kuchan_ring_hold_kicks(false);
	preempt_enable();
	kuchan_ring_drain_now();
	return ret;
}

/* The Stats attributes of @sum, each u64 aligned with KUCHAN_A_STATS_PAD. */
static int kuchan_stats_fill(struct sk_buff *msg,
			     const struct kuchan_stats_sum *sum)
{
	const struct { int attr; u64 v; } counters[] = {
		{ KUCHAN_A_STATS_RAISED, sum->raised },
		{ KUCHAN_A_STATS_MULTICAST, sum->multicast },
		{ KUCHAN_A_STATS_DROPPED_NO_LISTENER, sum->dropped_no_listener },
		{ KUCHAN_A_STATS_DROPPED_NOMEM, sum->dropped_nomem },
		{ KUCHAN_A_STATS_LAST_SEQ, READ_ONCE(kuchan_published_seq) },
		{ KUCHAN_A_STATS_DROPPED_RATE_LIMITED,
		  sum->lost[KUCHAN_LOSS_RATE_LIMITED] },
		{ KUCHAN_A_STATS_HELPER_DROPPED_QUEUE_FULL,
		  sum->lost[KUCHAN_LOSS_HELPER_FULL] },
		{ KUCHAN_A_STATS_HELPER_DROPPED_USER_SHARE,
		  sum->lost[KUCHAN_LOSS_HELPER_SHARE] },
		{ KUCHAN_A_STATS_HELPER_DROPPED_NOMEM,
		  sum->lost[KUCHAN_LOSS_HELPER_NOMEM] },
		{ KUCHAN_A_STATS_SUBSCRIPTION_SIGNALS_DROPPED,
		  sum->lost[KUCHAN_LOSS_SUB_SIGNAL] },
		{ KUCHAN_A_STATS_SUBSCRIPTIONS_REVOKED,
		  sum->lost[KUCHAN_LOSS_SUB_REVOKED] },
		{ KUCHAN_A_STATS_DROPPED_BUFFER_FULL,
		  sum->lost[KUCHAN_LOSS_BUFFER_FULL] },
		{ KUCHAN_A_STATS_BATCHES, sum->batches },
	};
	struct nlattr *entry;
	unsigned int i;
	u32 type;

	for (i = 0; i < ARRAY_SIZE(counters); i++)
		if (nla_put_u64_64bit(msg, counters[i].attr, counters[i].v,
				      KUCHAN_A_STATS_PAD))
			return -EMSGSIZE;
	/* One KUCHAN_A_STATS_PER_TYPE nest per event type (multi-attr). */
	for (type = 1; type < ARRAY_SIZE(sum->raised_by_type); type++) {
		entry = nla_nest_start(msg, KUCHAN_A_STATS_PER_TYPE);
		if (!entry ||
		    nla_put_u32(msg, KUCHAN_A_TYPE_STATS_TYPE, type) ||
		    nla_put_u64_64bit(msg, KUCHAN_A_TYPE_STATS_RAISED,
				      sum->raised_by_type[type],
				      KUCHAN_A_TYPE_STATS_PAD))
			return -EMSGSIZE;
		nla_nest_end(msg, entry);
	}
	return 0;
}

int kuchan_nl_get_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kuchan_stats_sum sum;
	struct sk_buff *msg;
	void *hdr;

	/* Sender and opener: see kuchan_nl_capable() and the schema. */
	if (!kuchan_nl_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "reading the counters needs CAP_NET_ADMIN, for the sender and the socket's opener");
		return -EPERM;
	}
	kuchan_stats_sum(&sum);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kuchan_nl_family, 0,
				KUCHAN_CMD_GET_STATS);
	if (!hdr || kuchan_stats_fill(msg, &sum)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * kuchan_events_init() - get the event machinery ready
 *
 * Return: 0, or -ENOMEM for the buffers.
 */
int kuchan_events_init(void)
{
	INIT_DELAYED_WORK(&kuchan_loss_report_work, kuchan_loss_report);
	if (!KUCHAN_NL_MCAST_CAP_ENFORCED)
		pr_warn("this kernel cannot restrict the monitor group to CAP_NET_ADMIN: events are disabled\n");
	return kuchan_ring_init();
}

/**
 * kuchan_events_close() - raise, number, queue and multicast nothing more
 *
 * The first step of unloading, before the family is unregistered: a raise
 * after it is refused, and the delivery worker, which has finished when
 * this returns, delivers nothing more. So a producer finishing late (a
 * request still running, a helper run ending) never multicasts on a group
 * id that may no longer be kuchan's.
 */
void kuchan_events_close(void)
{
	WRITE_ONCE(kuchan_events_closed, true);
	kuchan_ring_close();
}

/**
 * kuchan_events_uninit() - wait for the last loss report, free the buffers
 *
 * After kuchan_events_close() and after every producer has stopped.
 */
void kuchan_events_uninit(void)
{
	cancel_delayed_work_sync(&kuchan_loss_report_work);
	kuchan_ring_uninit();
}
