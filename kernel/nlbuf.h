/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink attributes written into a flat buffer: what nla_put() and
 * nla_nest_start() do for an skb, for memory that is not one. Events are
 * built straight into their per-CPU buffer (event_ring.c) in any context,
 * where no skb may be allocated; the same writer fills an skb's tailroom
 * (kuchan_nlbuf_skb()), so that one function builds a set of attributes for
 * both. Every put returns -EMSGSIZE, as nla_put() does, when the attribute
 * does not fit, and leaves the buffer as it was.
 */
#ifndef _KUCHAN_NLBUF_H
#define _KUCHAN_NLBUF_H

#include <linux/align.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/types.h>
#include <net/netlink.h>

struct kuchan_nlbuf {
	u8 *data;
	u32 len;	/* bytes written */
	u32 cap;	/* bytes there are */
};

/* A writer over @skb's tailroom; kuchan_nlbuf_skb_done() then claims it. */
static inline struct kuchan_nlbuf kuchan_nlbuf_skb(struct sk_buff *skb)
{
	return (struct kuchan_nlbuf){ .data = skb_tail_pointer(skb),
				      .cap = skb_tailroom(skb) };
}

static inline void kuchan_nlbuf_skb_done(struct sk_buff *skb,
					 const struct kuchan_nlbuf *b)
{
	skb_put(skb, b->len);
}

static inline int kuchan_nlb_put(struct kuchan_nlbuf *b, int type,
				 const void *data, int len)
{
	struct nlattr *nla;
	u32 total = nla_total_size(len);

	if (total > b->cap - b->len)
		return -EMSGSIZE;
	nla = (struct nlattr *)(b->data + b->len);
	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	memcpy(nla_data(nla), data, len);
	memset((u8 *)nla_data(nla) + len, 0, total - nla_attr_size(len));
	b->len += total;
	return 0;
}

static inline int kuchan_nlb_put_u32(struct kuchan_nlbuf *b, int type, u32 v)
{
	return kuchan_nlb_put(b, type, &v, sizeof(v));
}

static inline int kuchan_nlb_put_s32(struct kuchan_nlbuf *b, int type, s32 v)
{
	return kuchan_nlb_put(b, type, &v, sizeof(v));
}

/*
 * nla_need_padding_for_64bit() for @b: where the architecture cannot load
 * a u64 unaligned, its payload must start 8-byte aligned, so a pad
 * attribute (a bare 4-byte header) goes first when the next header would
 * start 8-byte aligned. Decided on the address, as the kernel decides on
 * an skb's tail: an event record is copied into its message at a tail of
 * the same alignment modulo 8 (kuchan_put_message()), so what is aligned
 * here is aligned on the wire.
 */
static inline bool kuchan_nlb_need_padding_for_64bit(const struct kuchan_nlbuf *b)
{
#ifndef CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS
	if (IS_ALIGNED((unsigned long)(b->data + b->len), 8))
		return true;
#endif
	return false;
}

/* nla_put_u64_64bit(): @padattr is the set's pad attribute. */
static inline int kuchan_nlb_put_u64_64bit(struct kuchan_nlbuf *b, int type,
					   u64 v, int padattr)
{
	u32 at = b->len;

	if (kuchan_nlb_need_padding_for_64bit(b) &&
	    kuchan_nlb_put(b, padattr, NULL, 0))
		return -EMSGSIZE;
	if (kuchan_nlb_put(b, type, &v, sizeof(v))) {
		b->len = at;
		return -EMSGSIZE;
	}
	return 0;
}

static inline int kuchan_nlb_put_string(struct kuchan_nlbuf *b, int type,
					const char *s)
{
	return kuchan_nlb_put(b, type, s, strlen(s) + 1);
}

/* A nest's offset in @b, or -EMSGSIZE. */
static inline int kuchan_nlb_nest_start(struct kuchan_nlbuf *b, int type)
{
	u32 at = b->len;
	struct nlattr *nla;

	if (b->cap - b->len < NLA_HDRLEN)
		return -EMSGSIZE;
	nla = (struct nlattr *)(b->data + at);
	nla->nla_type = type | NLA_F_NESTED;
	b->len += NLA_HDRLEN;
	return at;
}

static inline void kuchan_nlb_nest_end(struct kuchan_nlbuf *b, int at)
{
	((struct nlattr *)(b->data + at))->nla_len = b->len - at;
}

/* Undoes everything written since @at (a nest start, or a length). */
static inline void kuchan_nlb_trim(struct kuchan_nlbuf *b, u32 at)
{
	b->len = at;
}

#endif /* _KUCHAN_NLBUF_H */
