// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU event buffers, and the worker that drains them.
 *
 * Raising an event (events.c) must be safe wherever a caller may be: in
 * process, softirq or hard-irq context, under the caller's spinlocks, the
 * scheduler's or a waitqueue's, on PREEMPT_RT. So the raiser only copies
 * the event into a buffer of its own CPU, with interrupts off on that CPU
 * for the copy: no allocation, no lock (each buffer has one writer, the
 * CPU it belongs to, and one reader, the drainer), no workqueue call. Then
 * it kicks a drainer through irq_work, which is safe in all of those
 * contexts, and only when none was kicked already.
 *
 * Two drainers, one at a time (a mutex): a worker on the raising CPU,
 * woken first, and a worker on any CPU, woken when a buffer fills past a
 * quarter. Waking a worker on another CPU costs an interprocessor
 * interrupt and that CPU's wakeup (under QEMU, milliseconds): a lone event
 * should not pay for it, and the local worker runs as soon as the raiser
 * sleeps or returns to user space. A raiser that keeps its CPU (a burst in
 * a loop) keeps the local worker from running: the other worker drains
 * meanwhile, and stays awake a moment after the buffers run dry
 * (KUCHAN_LINGER_NS), so that a burst in waves does not pay a wakeup per
 * wave. And when the local worker has not run a millisecond after its
 * kick (its CPU busy in the kernel), a timer wakes the other one: no event
 * waits on a busy CPU for longer. Not handled: a CPU that never lets its
 * worker run (an isolated CPU whose task never sleeps) keeps that work
 * queued; its events still go out, through the other worker.
 *
 * NMI is refused (kuchan_raise_custom() says -EOPNOTSUPP): an NMI could
 * interrupt a raise on its CPU in the middle of its copy.
 *
 * The worker (process context, one drainer at a time: a mutex) takes
 * the records of all buffers in the order they were raised, by the
 * monotonic clock read at raise (each buffer is in raise order already),
 * and hands each to events.c, which numbers it and packs it into the
 * current batch; at the end of a pass the batch goes out. A lone event
 * goes out at once: batches come from backlog, never from waiting.
 *
 * A buffer that is full refuses the event and counts it. The next record
 * that fits on that CPU is preceded by a loss marker with the count, so the
 * loss is reported in order: a listener sees "n events lost here" between
 * the events around the hole, numbered like an event. When no record
 * follows, the worker takes the count itself once the buffer is empty.
 *
 * Each buffer is a ring of bytes; a record never wraps: one that does not
 * fit before the end is preceded by a padding record to it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "event_ring.h"
#include "events.h"

static unsigned int event_buffer_kb = 256;
module_param(event_buffer_kb, uint, 0444);
MODULE_PARM_DESC(event_buffer_kb,
		 "KiB of event buffer per CPU, rounded up to a power of two (16..16384, default 256)");

struct kuchan_ring {
	u8 *buf;
	u32 mask;		/* size - 1; size a power of two */
	u32 head;		/* written by its CPU: free-running offset */
	u32 tail;		/* written by the worker */
	atomic_t lost;		/* refused since the last marker */
	bool kicked;		/* a drainer will look at this buffer */
	bool kicked_remote;	/* the other worker will, too */
};

static DEFINE_PER_CPU(struct kuchan_ring, kuchan_rings);
/* A request on this CPU will drain right away: no kick needed. */
static DEFINE_PER_CPU(bool, kuchan_kicks_held);
static bool kuchan_rings_closed;
static DEFINE_MUTEX(kuchan_drain_lock);
/*
 * Per CPU: what a raise there kicks. Both kicks are hard-irq irq_work, on
 * PREEMPT_RT too: they only queue work and start a timer, which hard irq
 * may do, and a threaded kick would wait behind the very raiser it is
 * there to get around (or, queued while the CPU goes down, stay queued).
 */
struct kuchan_kicker {
	struct irq_work kick;		/* wakes @work, arms @fallback */
	struct irq_work kick_remote;	/* wakes the other worker */
	struct work_struct work;	/* the local worker, bound to @cpu */
	struct hrtimer fallback;	/* @work has not run: the other one */
	unsigned int cpu;
};

static DEFINE_PER_CPU(struct kuchan_kicker, kuchan_kickers);
#define KUCHAN_FALLBACK_NS	NSEC_PER_MSEC
/*
 * Both workers run on kuchan_drain_wq: bound to a CPU, at high priority,
 * CPU-intensive (a long pass does not hold back the CPU's other
 * high-priority work items, such as the block layer's), and flushed when
 * the module unloads. The other worker is one for the module.
 */
static struct workqueue_struct *kuchan_drain_wq;
static struct work_struct kuchan_drain_work;

/* Records are 8-byte aligned, so that their u64 fields are. */
static u32 kuchan_rec_size(u32 len)
{
	return ALIGN(len, 8);
}

/*
 * Claims @len contiguous bytes at the ring's head, after a padding record
 * to its end when they would wrap. Returns the head offset of the claim,
 * or U32_MAX when the ring has no room. Only the ring's own CPU calls it,
 * with interrupts off.
 */
static u32 kuchan_ring_claim(struct kuchan_ring *r, u32 *head, u32 len)
{
	/* Pairs with kuchan_ring_consume(): the worker is done reading. */
	u32 tail = smp_load_acquire(&r->tail);
	u32 size = r->mask + 1;
	u32 off = *head & r->mask;
	u32 to_end = size - off;
	u32 need = len > to_end ? len + to_end : len;
	struct kuchan_rec *pad;

	if (need > size - (*head - tail))
		return U32_MAX;
	if (len > to_end) {
		pad = (struct kuchan_rec *)(r->buf + off);
		pad->len = to_end;
		pad->type = KUCHAN_REC_PAD;
		*head += to_end;
	}
	return *head;
}

/**
 * kuchan_ring_reserve() - claim room for a record in this CPU's buffer
 * @res: filled in, for kuchan_ring_commit() or kuchan_ring_discard()
 * @size: bytes the record may take, header included
 *
 * On success interrupts are off on this CPU until the commit or discard:
 * the record must be written without sleeping. A full buffer counts the
 * record as lost (reported by a marker before this CPU's next record).
 *
 * Context: any but NMI.
 * Return: the record, its header to fill in; NULL when the buffer is full
 * or closed, interrupts as they were.
 */
struct kuchan_rec *kuchan_ring_reserve(struct kuchan_reservation *res,
				       u32 size)
{
	struct kuchan_ring *r;
	struct kuchan_rec *marker;
	u32 head, at, lost;

	size = kuchan_rec_size(size);
	local_irq_save(res->irqflags);
	r = this_cpu_ptr(&kuchan_rings);
	if (unlikely(READ_ONCE(kuchan_rings_closed) || size > r->mask + 1))
		goto full;
	head = r->head;
	res->start = head;
	lost = atomic_read(&r->lost);
	if (unlikely(lost)) {
		/* The marker goes first; both fit, or neither is written. */
		at = kuchan_ring_claim(r, &head, sizeof(*marker));
		if (at == U32_MAX)
			goto full;
		marker = (struct kuchan_rec *)(r->buf + (at & r->mask));
		head += sizeof(*marker);
		if (kuchan_ring_claim(r, &head, size) == U32_MAX)
			goto full;
		marker->len = sizeof(*marker);
		marker->type = KUCHAN_REC_LOST;
		marker->mono = ktime_get_mono_fast_ns();
		/* The worker may have taken the count meanwhile: then 0. */
		marker->lost = atomic_xchg(&r->lost, 0);
	} else if (kuchan_ring_claim(r, &head, size) == U32_MAX) {
		goto full;
	}
	res->ring = r;
	res->head = head;
	res->size = size;
	res->rec = (struct kuchan_rec *)(r->buf + (head & r->mask));
	return res->rec;

full:
	atomic_inc(&r->lost);
	local_irq_restore(res->irqflags);
	return NULL;
}

/* Publishes the ring up to @head and kicks the worker if it needs to be. */
static void kuchan_ring_publish(struct kuchan_reservation *res, u32 head)
{
	struct kuchan_ring *r = res->ring;

	/* Pairs with kuchan_ring_peek(): the record is written. */
	smp_store_release(&r->head, head);
	/*
	 * Pairs with the worker's clearing of kicked, then reading of head:
	 * either it sees this record, or this CPU sees kicked clear.
	 */
	smp_mb();
	if (this_cpu_read(kuchan_kicks_held)) {
		/* The request drains right after its raise. */
	} else if (!READ_ONCE(r->kicked)) {
		WRITE_ONCE(r->kicked, true);
		irq_work_queue(this_cpu_ptr(&kuchan_kickers.kick));
	} else if (!READ_ONCE(r->kicked_remote) &&
		   head - READ_ONCE(r->tail) > (r->mask + 1) / 4) {	/* a hint */
		/* A backlog: the local worker is kept from running. */
		WRITE_ONCE(r->kicked_remote, true);
		irq_work_queue(this_cpu_ptr(&kuchan_kickers.kick_remote));
	}
	local_irq_restore(res->irqflags);
}

/**
 * kuchan_ring_commit() - publish the record kuchan_ring_reserve() gave
 * @res: the reservation; the record's len set, at most the size reserved
 *
 * Context: as for kuchan_ring_reserve(), on the same CPU; never sleeps.
 */
void kuchan_ring_commit(struct kuchan_reservation *res)
{
	u32 len = kuchan_rec_size(res->rec->len);

	if (WARN_ON_ONCE(len > res->size))
		len = res->size;
	res->rec->len = len;
	kuchan_ring_publish(res, res->head + len);
}

/**
 * kuchan_ring_discard() - give the reservation back
 * @res: the reservation
 *
 * A loss marker written with it is still published.
 */
void kuchan_ring_discard(struct kuchan_reservation *res)
{
	if (res->head != res->start)
		kuchan_ring_publish(res, res->head);
	else
		local_irq_restore(res->irqflags);
}

/*
 * Wakes the other worker on an active CPU other than @busy, which a raiser
 * may be holding: it runs while the raiser goes on. Bound, like the local
 * worker, so that the scheduler does not place it back on @busy. Best
 * effort: a CPU going down runs it elsewhere, and a pass still running
 * keeps it where it runs. Context: hard irq (queue_work_on() takes only
 * raw locks).
 */
static void kuchan_wake_remote(unsigned int busy)
{
	unsigned int cpu = cpumask_next(busy, cpu_active_mask);

	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_active_mask);
	if (cpu >= nr_cpu_ids)
		cpu = busy;
	queue_work_on(cpu, kuchan_drain_wq, &kuchan_drain_work);
}

/*
 * In the raising CPU's interrupt: wake its own worker, and arm the timer
 * that wakes the other one if this one has not run by then.
 */
static void kuchan_kick_fn(struct irq_work *work)
{
	struct kuchan_kicker *k = container_of(work, struct kuchan_kicker,
					       kick);

	queue_work_on(k->cpu, kuchan_drain_wq, &k->work);
	hrtimer_start(&k->fallback, ns_to_ktime(KUCHAN_FALLBACK_NS),
		      HRTIMER_MODE_REL_PINNED_HARD);
}

static enum hrtimer_restart kuchan_fallback_fn(struct hrtimer *timer)
{
	struct kuchan_kicker *k = container_of(timer, struct kuchan_kicker,
					       fallback);

	if (work_pending(&k->work))
		kuchan_wake_remote(k->cpu);
	return HRTIMER_NORESTART;
}

static void kuchan_kick_remote_fn(struct irq_work *work)
{
	struct kuchan_kicker *k = container_of(work, struct kuchan_kicker,
					       kick_remote);

	kuchan_wake_remote(k->cpu);
}

/* The ring's next record, skipping padding; NULL when it is empty. */
static struct kuchan_rec *kuchan_ring_peek(struct kuchan_ring *r)
{
	/* Pairs with kuchan_ring_publish(). */
	u32 head = smp_load_acquire(&r->head);
	struct kuchan_rec *rec;

	while (r->tail != head) {
		rec = (struct kuchan_rec *)(r->buf + (r->tail & r->mask));
		if (rec->type != KUCHAN_REC_PAD)
			return rec;
		/* Pairs with kuchan_ring_claim(), as in kuchan_ring_consume(). */
		smp_store_release(&r->tail, r->tail + rec->len);
	}
	return NULL;
}

/* Gives the record kuchan_ring_peek() returned back to its CPU. */
static void kuchan_ring_consume(struct kuchan_ring *r,
				const struct kuchan_rec *rec)
{
	/* Pairs with kuchan_ring_claim(): done reading, it may be reused. */
	smp_store_release(&r->tail, r->tail + rec->len);
}

/*
 * Sets the kicked flags of the buffers of @cpus: raises there then do not
 * wake a drainer (true), or do (false).
 */
static void kuchan_rings_set_kicked(const struct cpumask *cpus, bool kicked)
{
	struct kuchan_ring *r;
	unsigned int cpu;

	for_each_cpu(cpu, cpus) {
		r = per_cpu_ptr(&kuchan_rings, cpu);
		WRITE_ONCE(r->kicked, kicked);
		WRITE_ONCE(r->kicked_remote, kicked);
	}
}

/* Does some buffer hold a record, or a loss to report? A hint. */
static bool kuchan_rings_busy(void)
{
	struct kuchan_ring *r;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		r = per_cpu_ptr(&kuchan_rings, cpu);
		if (READ_ONCE(r->head) != r->tail || atomic_read(&r->lost))
			return true;
	}
	return false;
}

/*
 * Takes every buffer's records in raise order and hands them to events.c,
 * until all are empty; then the batch goes out. Under kuchan_drain_lock:
 * one drainer at a time, a worker or a request (kuchan_ring_drain_now()),
 * dropped for a moment every 256 records so that a long pass holds no
 * other drainer up (each batch is out, each record consumed, before).
 * First clears the kicked flags of the buffers of @settle (if any), so
 * that a raise there after the pass wakes a drainer again. A buffer whose
 * flag stays set has a kick of its own on the way, which settles it.
 */
static void kuchan_drain_locked(const struct cpumask *settle)
{
	struct kuchan_ring *r, *best_ring;
	struct kuchan_rec *rec, *best;
	unsigned int cpu, best_cpu = 0, n = 0;
	u32 backlog = 0;
	int lost;

	if (settle) {
		kuchan_rings_set_kicked(settle, false);
		smp_mb();	/* pairs with kuchan_ring_publish() */
	}
	for_each_possible_cpu(cpu) {
		r = per_cpu_ptr(&kuchan_rings, cpu);
		backlog += READ_ONCE(r->head) - r->tail;	/* a hint */
	}
	kuchan_event_backlog(backlog);

	for (;;) {
		best = NULL;
		best_ring = NULL;
		for_each_possible_cpu(cpu) {
			r = per_cpu_ptr(&kuchan_rings, cpu);
			rec = kuchan_ring_peek(r);
			if (!rec) {
				/* Losses no later record has reported. */
				if (atomic_read(&r->lost)) {
					lost = atomic_xchg(&r->lost, 0);
					if (lost)
						kuchan_event_deliver_lost(lost, cpu);
				}
				continue;
			}
			if (!best || rec->mono < best->mono) {
				best = rec;
				best_ring = r;
				best_cpu = cpu;
			}
		}
		if (!best)
			break;
		if (best->type == KUCHAN_REC_LOST) {
			if (best->lost)
				kuchan_event_deliver_lost(best->lost, best_cpu);
		} else {
			kuchan_event_deliver(best);
		}
		kuchan_ring_consume(best_ring, best);
		if (!(++n % 256)) {
			kuchan_event_flush();
			mutex_unlock(&kuchan_drain_lock);
			cond_resched();
			mutex_lock(&kuchan_drain_lock);
			kuchan_event_backlog(U32_MAX / 2);	/* more came */
		}
	}
	kuchan_event_flush();
}

/*
 * The local worker: one pass, then asleep (it would hold the raiser's
 * CPU). It settles its own CPU's buffer only: settling all would make the
 * next raise on every CPU kick again, one wakeup per CPU per pass.
 */
static void kuchan_drain_local(struct work_struct *work)
{
	struct kuchan_kicker *k = container_of(work, struct kuchan_kicker,
					       work);

	hrtimer_try_to_cancel(&k->fallback);	/* it ran: no fallback */
	mutex_lock(&kuchan_drain_lock);
	kuchan_drain_locked(cpumask_of(k->cpu));
	mutex_unlock(&kuchan_drain_lock);
}

/*
 * The other worker stays awake this long after the buffers run dry (and
 * at most KUCHAN_LINGER_MAX_NS in all): a raise while it is awake finds
 * its buffer kicked and wakes nobody. Waking it is what a raise pays most
 * for, and bursts come in waves. It polls without the drainers' lock.
 */
#define KUCHAN_LINGER_NS	(200 * NSEC_PER_USEC)
#define KUCHAN_LINGER_MAX_NS	(2 * NSEC_PER_MSEC)

static void kuchan_drain(struct work_struct *work)
{
	u64 now, until, stop;

	mutex_lock(&kuchan_drain_lock);
	kuchan_drain_locked(cpu_possible_mask);
	kuchan_rings_set_kicked(cpu_possible_mask, true);
	mutex_unlock(&kuchan_drain_lock);
	now = ktime_get_mono_fast_ns();
	until = now + KUCHAN_LINGER_NS;
	stop = now + KUCHAN_LINGER_MAX_NS;
	while (now < until && now < stop && !need_resched()) {
		if (kuchan_rings_busy()) {
			mutex_lock(&kuchan_drain_lock);
			kuchan_drain_locked(NULL);
			mutex_unlock(&kuchan_drain_lock);
			until = ktime_get_mono_fast_ns() + KUCHAN_LINGER_NS;
		} else {
			cpu_relax();
		}
		now = ktime_get_mono_fast_ns();
	}
	/* Asleep from here: a raise after this pass kicks again. */
	mutex_lock(&kuchan_drain_lock);
	kuchan_drain_locked(cpu_possible_mask);
	mutex_unlock(&kuchan_drain_lock);
}

/**
 * kuchan_ring_hold_kicks() - raise without waking the worker, then drain
 * @hold: true before the raise, false after it
 *
 * For a request that drains right after it raised (kuchan_ring_drain_now()):
 * between the two calls, which must run with preemption off, raises on this
 * CPU do not kick the worker, which would only wake to find the buffers
 * empty. Raises from interrupts meanwhile are drained by the request too.
 */
void kuchan_ring_hold_kicks(bool hold)
{
	this_cpu_write(kuchan_kicks_held, hold);
}

/**
 * kuchan_ring_drain_now() - deliver what the buffers hold, here and now
 *
 * For a request that raised an event (EMIT): when it returns, its event
 * has been numbered, multicast and queued for the helper and subscribers,
 * so that the requester's next GET_STATS, or a listener it asks, sees it.
 * Delivered in the caller's context rather than by waiting for the worker:
 * waking a worker on another CPU and waiting for it cost ~5 ms a request
 * under QEMU.
 *
 * Context: process context; sleeps.
 */
void kuchan_ring_drain_now(void)
{
	mutex_lock(&kuchan_drain_lock);
	kuchan_drain_locked(cpu_possible_mask);
	mutex_unlock(&kuchan_drain_lock);
}

/**
 * kuchan_ring_init() - allocate every possible CPU's buffer
 *
 * Return: 0 or -ENOMEM.
 */
int kuchan_ring_init(void)
{
	u32 size = roundup_pow_of_two(clamp(event_buffer_kb, 16U, 16384U) * 1024);
	struct kuchan_kicker *k;
	struct kuchan_ring *r;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		k = per_cpu_ptr(&kuchan_kickers, cpu);
		k->cpu = cpu;
		k->kick = IRQ_WORK_INIT_HARD(kuchan_kick_fn);
		k->kick_remote = IRQ_WORK_INIT_HARD(kuchan_kick_remote_fn);
		INIT_WORK(&k->work, kuchan_drain_local);
		hrtimer_init(&k->fallback, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_PINNED_HARD);
		k->fallback.function = kuchan_fallback_fn;
	}
	INIT_WORK(&kuchan_drain_work, kuchan_drain);
	kuchan_drain_wq = alloc_workqueue("kuchan_events",
					  WQ_HIGHPRI | WQ_CPU_INTENSIVE, 0);
	if (!kuchan_drain_wq)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		r = per_cpu_ptr(&kuchan_rings, cpu);
		r->buf = kvzalloc_node(size, GFP_KERNEL, cpu_to_node(cpu));
		if (!r->buf) {
			kuchan_ring_uninit();
			return -ENOMEM;
		}
		r->mask = size - 1;
	}
	return 0;
}

/* Waits for every kick and every worker: none is left queued or running. */
static void kuchan_ring_stop_workers(void)
{
	unsigned int cpu;

	/* Kicks arm timers, timers wake the other worker: in that order. */
	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu_ptr(&kuchan_kickers, cpu)->kick);
	for_each_possible_cpu(cpu)
		hrtimer_cancel(&per_cpu_ptr(&kuchan_kickers, cpu)->fallback);
	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu_ptr(&kuchan_kickers, cpu)->kick_remote);
	for_each_possible_cpu(cpu)
		flush_work(&per_cpu_ptr(&kuchan_kickers, cpu)->work);
	flush_work(&kuchan_drain_work);
}

/**
 * kuchan_ring_close() - take no more records, and finish the worker
 *
 * The first step of unloading: afterwards nothing is raised into a
 * buffer, and the worker, which runs once more, delivers nothing
 * (events.c drops what it is handed once closed).
 */
void kuchan_ring_close(void)
{
	WRITE_ONCE(kuchan_rings_closed, true);
	synchronize_rcu();	/* raises in flight have committed */
	kuchan_ring_stop_workers();
	/* A batch the last drainer left; requests may still drain (nothing). */
	mutex_lock(&kuchan_drain_lock);
	kuchan_event_flush();
	mutex_unlock(&kuchan_drain_lock);
}

/**
 * kuchan_ring_uninit() - free the buffers and the worker
 *
 * After kuchan_ring_close(), or on a failed init.
 */
void kuchan_ring_uninit(void)
{
	unsigned int cpu;

	if (kuchan_drain_wq) {
		kuchan_ring_stop_workers();
		destroy_workqueue(kuchan_drain_wq);
		kuchan_drain_wq = NULL;
	}
	for_each_possible_cpu(cpu) {
		kvfree(per_cpu_ptr(&kuchan_rings, cpu)->buf);
		per_cpu_ptr(&kuchan_rings, cpu)->buf = NULL;
	}
}
