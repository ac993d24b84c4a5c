/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Do not edit: generated from proto/kuchan.proto by gen/ (protoc-gen-kuchan-kernel).
 * Regenerate with: cmake --build build --target regen
 */

#ifndef _KUCHAN_NL_GEN_H
#define _KUCHAN_NL_GEN_H

#include <net/genetlink.h>

#include "uapi/kuchan.h"

enum kuchan_nlgrps {
	KUCHAN_NLGRP_MONITOR,
};

/*
 * GENL_MCAST_CAP_NET_ADMIN makes the core refuse to let a socket without
 * CAP_NET_ADMIN join a group. Kernels older than the flag (6.1.y before
 * Debian's backport of it) cannot enforce that: there KUCHAN_NL_MCAST_CAP_ENFORCED
 * is 0, and the module must not multicast on a group the schema marks
 * cap_net_admin.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define KUCHAN_NL_MCAST_CAP_ENFORCED	1
#else
#define KUCHAN_NL_MCAST_CAP_ENFORCED	0
#endif

/* The names of enum values, as user space prints them. */
extern const char * const kuchan_event_type_names[__KUCHAN_EVENT_TYPE_MAX];
extern const char * const kuchan_origin_names[__KUCHAN_ORIGIN_MAX];

/* Policies of the sets requests nest, as the ops validate them. */
extern const struct nla_policy kuchan_target_nl_policy[KUCHAN_A_TARGET_MAX + 1];
extern const struct nla_policy kuchan_arg_nl_policy[KUCHAN_A_ARG_MAX + 1];
extern const struct nla_policy kuchan_kv_nl_policy[KUCHAN_A_KV_MAX + 1];

/* Each op's request policy: its own attributes and no others. */
extern const struct nla_policy kuchan_signal_nl_policy[KUCHAN_A_SIGNAL_VALUE + 1];
extern const struct nla_policy kuchan_helper_set_nl_policy[KUCHAN_A_HELPER_EVENT_MASK + 1];
extern const struct nla_policy kuchan_emit_nl_policy[KUCHAN_A_CUSTOM_DATA + 1];
extern const struct nla_policy kuchan_subscribe_nl_policy[KUCHAN_A_SUBSCRIPTION_EVENT_MASK + 1];

/* Handlers, written by hand. */
int kuchan_nl_signal_doit(struct sk_buff *skb, struct genl_info *info);
int kuchan_nl_helper_set_doit(struct sk_buff *skb, struct genl_info *info);
int kuchan_nl_helper_get_doit(struct sk_buff *skb, struct genl_info *info);
int kuchan_nl_helper_clear_doit(struct sk_buff *skb, struct genl_info *info);
int kuchan_nl_emit_doit(struct sk_buff *skb, struct genl_info *info);
int kuchan_nl_get_stats_doit(struct sk_buff *skb, struct genl_info *info);
int kuchan_nl_subscribe_doit(struct sk_buff *skb, struct genl_info *info);
int kuchan_nl_unsubscribe_doit(struct sk_buff *skb, struct genl_info *info);

extern struct genl_family kuchan_nl_family;

#endif /* _KUCHAN_NL_GEN_H */
