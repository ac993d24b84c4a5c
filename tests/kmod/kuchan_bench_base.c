// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmarks' baseline, never shipped: kuchan's event path as it was
 * before events went through per-CPU buffers (commit "events: raise into
 * per-CPU buffers, deliver in batches from one worker"), on a genetlink
 * family of its own, "kuchan_base" (one multicast group, "monitor"), so
 * that bench/events measures the two side by side in the same boot
 * (docs/benchmarks.md).
 *
 * kuchan_base_raise_custom() is what kuchan_raise_custom() did then, in
 * the raiser's context: the idle test (genl_has_listeners() and kuchan's
 * two other consumer checks, a per-CPU increment when nobody listens),
 * then one skb per event (genlmsg_new(GFP_ATOMIC)) with the same
 * attributes as a kuchan custom event (seq, timestamp_ns, type, origin,
 * the actor read with get_task_comm() in task context, custom {code,
 * data}), numbered and multicast (a clone and a wakeup per listener) under
 * one spinlock held with interrupts off. The payload is byte for byte
 * kuchan's (the same UAPI attribute numbers); only the family differs. Left
 * out: the helper's and the subscriptions' queues (the bench has neither),
 * and on 6.12 the receiver check of kuchan_nl_multicast() (a filter call
 * per listener), so the baseline is, if anything, a little faster than the
 * old kuchan was.
 *
 * It raises nothing itself: kuchan_bench_base_raise, loaded after it,
 * calls it with the same knobs kuchan_test_raise has for kuchan (so the
 * call crosses modules as kuchan's does, and the family exists before the
 * bench's receivers join it).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <net/genetlink.h>

#include "kuchan_bench_base.h"
#include "uapi/kuchan.h"

static const struct genl_multicast_group base_mcgrps[] = {
	{
		.name = "monitor",
#ifdef GENL_MCAST_CAP_NET_ADMIN
		.flags = GENL_MCAST_CAP_NET_ADMIN,
#endif
	},
};

static struct genl_family base_family __ro_after_init = {
	.name = "kuchan_base",
	.version = 1,
	.maxattr = KUCHAN_A_EVENT_MAX,
	.module = THIS_MODULE,
	.mcgrps = base_mcgrps,
	.n_mcgrps = ARRAY_SIZE(base_mcgrps),
};

/* The old kuchan's numbering lock and counters. */
static DEFINE_SPINLOCK(base_seq_lock);
static u64 base_seq;
static DEFINE_PER_CPU(u64, base_unheard);
static DEFINE_PER_CPU(u64, base_consumed);
static DEFINE_PER_CPU(u64, base_multicast);
/* Stand-ins for kuchan's helper and subscription masks: always 0 here. */
static u64 base_helper_types, base_subscription_types;

static int base_put_u64(struct sk_buff *skb, int attr, u64 value)
{
	return nla_put(skb, attr, sizeof(value), &value);
}

/* The actor nest, as the old kuchan_put_process() built it. */
static int base_put_actor(struct sk_buff *skb, struct task_struct *t)
{
	char comm[TASK_COMM_LEN];
	struct nlattr *nest;
	kuid_t uid;

	get_task_comm(comm, t);
	rcu_read_lock();
	uid = __task_cred(t)->uid;
	rcu_read_unlock();

	nest = nla_nest_start(skb, KUCHAN_A_EVENT_ACTOR);
	if (!nest ||
	    nla_put_u32(skb, KUCHAN_A_PROCESS_PID, task_pid_nr(t)) ||
	    nla_put_u32(skb, KUCHAN_A_PROCESS_TGID, task_tgid_nr(t)) ||
	    nla_put_u32(skb, KUCHAN_A_PROCESS_UID,
			from_kuid_munged(&init_user_ns, uid)) ||
	    nla_put_string(skb, KUCHAN_A_PROCESS_COMM, comm) ||
	    base_put_u64(skb, KUCHAN_A_PROCESS_START_TIME,
			 div_u64(t->start_boottime, NSEC_PER_SEC / USER_HZ)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Builds, numbers and multicasts one event: the old kuchan_raise_build(). */
static noinline int base_raise_build(u32 code, const struct kuchan_kv *data,
				     unsigned int n, size_t size)
{
	struct nlattr *seq_attr, *nest, *list, *kv;
	struct sk_buff *skb;
	unsigned long flags;
	unsigned int i;
	void *hdr;
	u64 seq;

	this_cpu_inc(base_consumed);
	skb = genlmsg_new(NLMSG_ALIGN(128) + size, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &base_family, 0, KUCHAN_CMD_EVENT_NTF);
	if (!hdr)
		goto err;
	seq_attr = nla_reserve(skb, KUCHAN_A_EVENT_SEQ, sizeof(u64));
	if (!seq_attr ||
	    base_put_u64(skb, KUCHAN_A_EVENT_TIMESTAMP_NS, ktime_get_real_ns()) ||
	    nla_put_u32(skb, KUCHAN_A_EVENT_TYPE, KUCHAN_EVENT_CUSTOM) ||
	    nla_put_u32(skb, KUCHAN_A_EVENT_ORIGIN, KUCHAN_ORIGIN_KERNEL))
		goto err;
	if (in_task() && base_put_actor(skb, current))
		goto err;
	nest = nla_nest_start(skb, KUCHAN_A_EVENT_CUSTOM);
	if (!nest || nla_put_u32(skb, KUCHAN_A_CUSTOM_CODE, code))
		goto err;
	if (n) {
		list = nla_nest_start(skb, KUCHAN_A_CUSTOM_DATA);
		if (!list)
			goto err;
		for (i = 0; i < n; i++) {
			kv = nla_nest_start(skb, i + 1);
			if (!kv ||
			    nla_put_string(skb, KUCHAN_A_KV_KEY, data[i].key) ||
			    nla_put_string(skb, KUCHAN_A_KV_VALUE, data[i].value))
				goto err;
			nla_nest_end(skb, kv);
		}
		nla_nest_end(skb, list);
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);

	spin_lock_irqsave(&base_seq_lock, flags);
	seq = ++base_seq;
	memcpy(nla_data(seq_attr), &seq, sizeof(seq));
	if (!genlmsg_multicast(&base_family, skb, 0, 0, GFP_ATOMIC))
		this_cpu_inc(base_multicast);
	spin_unlock_irqrestore(&base_seq_lock, flags);
	return 0;
err:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

/* Raises a custom event, or counts it when nobody wants it. */
static __always_inline int base_raise_sized(u32 code,
					    const struct kuchan_kv *data,
					    unsigned int n, size_t size)
{
	if (likely(!genl_has_listeners(&base_family, &init_net, 0) &&
		   !(READ_ONCE(base_helper_types) & BIT_ULL(KUCHAN_EVENT_CUSTOM)) &&
		   !(READ_ONCE(base_subscription_types) &
		     BIT_ULL(KUCHAN_EVENT_CUSTOM)))) {
		this_cpu_inc(base_unheard);
		return 0;
	}
	return base_raise_build(code, data, n, size);
}

/* Pairs: checked first, whether or not anybody listens. */
static noinline int base_raise_pairs(u32 code, const struct kuchan_kv *data,
				     unsigned int n)
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
	return base_raise_sized(code, data, n, size);
}

/**
 * kuchan_base_raise_custom() - the old kuchan_raise_custom(), on kuchan_base
 * @code: the event's code
 * @data: @n key/value pairs
 * @n: at most KUCHAN_A_CUSTOM_DATA_MAX_COUNT
 *
 * Context: as the old one claimed, any (it allocates with GFP_ATOMIC and
 * multicasts under an irq-safe spinlock; issue 12 says why that claim was
 * wrong: never use this outside the bench).
 * Return: 0, -EINVAL or -E2BIG.
 */
int kuchan_base_raise_custom(u32 code, const struct kuchan_kv *data,
			     unsigned int n)
{
	if (n)
		return base_raise_pairs(code, data, n);
	return base_raise_sized(code, NULL, 0, 64);
}
EXPORT_SYMBOL_GPL(kuchan_base_raise_custom);

static int __init base_init(void)
{
	return genl_register_family(&base_family);
}

static void __exit base_exit(void)
{
	genl_unregister_family(&base_family);
}

module_init(base_init);
module_exit(base_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kuchan benchmark baseline: one skb per event, multicast at raise");
