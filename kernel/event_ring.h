/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU event buffers: raising an event copies it into its CPU's buffer
 * (any context but NMI, no allocation, no lock); one worker drains them in
 * process context and delivers (event_ring.c says how).
 */
#ifndef _KUCHAN_EVENT_RING_H
#define _KUCHAN_EVENT_RING_H

#include <linux/types.h>
#include <linux/uidgid.h>

/*
 * One record in a buffer: an event as raised, before it has a number.
 * @attrs holds, when @actor is set, the raiser as read at raise (struct
 * kuchan_actor, encoded at delivery: the raise does not pay for it), then
 * the payload nest as netlink attributes, exactly as it goes on the wire.
 */
struct kuchan_rec {
	u32 len;	/* the whole record, header included, 8-byte aligned */
	u8 type;	/* KUCHAN_EVENT_*, or KUCHAN_REC_* below */
	u8 origin;	/* KUCHAN_ORIGIN_* */
	u8 to;		/* KUCHAN_TO_*: its consumers when raised */
	u8 actor;	/* @attrs starts with a struct kuchan_actor */
	kuid_t user;	/* the unprivileged requester, or INVALID_UID */
	union {
		u32 attrs_len;	/* an event: bytes in @attrs */
		u32 lost;	/* KUCHAN_REC_LOST: events refused before it */
	};
	u64 mono;	/* ktime_get_mono_fast_ns() at raise: its order, its time */
	u8 attrs[];
};

/* Record types that are no event. */
#define KUCHAN_REC_PAD		0xff	/* the rest of the buffer's end */
#define KUCHAN_REC_LOST		0xfe	/* a loss marker */

/*
 * A record being written; from kuchan_ring_reserve() to commit/discard.
 * The writer sets the record's len (header and attrs) before the commit.
 */
struct kuchan_reservation {
	struct kuchan_ring *ring;
	struct kuchan_rec *rec;	/* the event's record */
	u32 start;		/* where the reservation starts (a marker?) */
	u32 head;		/* where @rec starts */
	u32 size;		/* bytes reserved for @rec */
	unsigned long irqflags;
};

struct kuchan_rec *kuchan_ring_reserve(struct kuchan_reservation *res,
				       u32 size);
void kuchan_ring_commit(struct kuchan_reservation *res);
void kuchan_ring_discard(struct kuchan_reservation *res);
void kuchan_ring_hold_kicks(bool hold);
void kuchan_ring_drain_now(void);

int kuchan_ring_init(void);
void kuchan_ring_close(void);
void kuchan_ring_uninit(void);

#endif /* _KUCHAN_EVENT_RING_H */
