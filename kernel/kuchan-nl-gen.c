// SPDX-License-Identifier: GPL-2.0
/*
 * Do not edit: generated from proto/kuchan.proto by gen/ (protoc-gen-kuchan-kernel).
 * Regenerate with: cmake --build build --target regen
 */

#include <net/genetlink.h>

#include "kuchan-nl-gen.h"

const struct nla_policy kuchan_target_nl_policy[KUCHAN_A_TARGET_MAX + 1] = {
	[KUCHAN_A_TARGET_PID] = { .type = NLA_S32 },
	[KUCHAN_A_TARGET_START_TIME] = { .type = NLA_U64 },
};

const struct nla_policy kuchan_signal_nl_policy[KUCHAN_A_SIGNAL_VALUE + 1] = {
	[KUCHAN_A_SIGNAL_TARGETS] = NLA_POLICY_NESTED(kuchan_target_nl_policy),
	[KUCHAN_A_SIGNAL_SIGNAL] = { .type = NLA_U32 },
	[KUCHAN_A_SIGNAL_VALUE] = { .type = NLA_S32 },
};

const struct nla_policy kuchan_arg_nl_policy[KUCHAN_A_ARG_MAX + 1] = {
	[KUCHAN_A_ARG_VALUE] = { .type = NLA_NUL_STRING, .len = 255 },
};

const struct nla_policy kuchan_helper_set_nl_policy[KUCHAN_A_HELPER_EVENT_MASK + 1] = {
	[KUCHAN_A_HELPER_PATH] = { .type = NLA_NUL_STRING, .len = 4095 },
	/* KUCHAN_A_HELPER_PATH: at least 1 byte, checked by the handler */
	[KUCHAN_A_HELPER_ARGS] = NLA_POLICY_NESTED(kuchan_arg_nl_policy),
	[KUCHAN_A_HELPER_EVENT_MASK] = { .type = NLA_U64 },
};

const struct nla_policy kuchan_kv_nl_policy[KUCHAN_A_KV_MAX + 1] = {
	[KUCHAN_A_KV_KEY] = { .type = NLA_NUL_STRING, .len = 31 },
	/* KUCHAN_A_KV_KEY: at least 1 byte, checked by the handler */
	[KUCHAN_A_KV_VALUE] = { .type = NLA_NUL_STRING, .len = 127 },
};

const struct nla_policy kuchan_emit_nl_policy[KUCHAN_A_CUSTOM_DATA + 1] = {
	[KUCHAN_A_CUSTOM_CODE] = { .type = NLA_U32 },
	[KUCHAN_A_CUSTOM_DATA] = NLA_POLICY_NESTED(kuchan_kv_nl_policy),
};

const struct nla_policy kuchan_subscribe_nl_policy[KUCHAN_A_SUBSCRIPTION_EVENT_MASK + 1] = {
	[KUCHAN_A_SUBSCRIPTION_SIGNAL] = NLA_POLICY_RANGE(NLA_U32, 1, 64),
	[KUCHAN_A_SUBSCRIPTION_EVENT_MASK] = { .type = NLA_U64 },
};

const char * const kuchan_event_type_names[__KUCHAN_EVENT_TYPE_MAX] = {
	[KUCHAN_EVENT_SIGNAL_SENT] = "signal_sent",
	[KUCHAN_EVENT_HELPER_CHANGED] = "helper_changed",
	[KUCHAN_EVENT_HELPER_RAN] = "helper_ran",
	[KUCHAN_EVENT_CUSTOM] = "custom",
	[KUCHAN_EVENT_HELPER_DROPPED] = "helper_dropped",
	[KUCHAN_EVENT_LOST] = "lost",
};

const char * const kuchan_origin_names[__KUCHAN_ORIGIN_MAX] = {
	[KUCHAN_ORIGIN_KERNEL] = "kernel",
	[KUCHAN_ORIGIN_USER] = "user",
};

/*
 * Every op is strictly validated (resv_start_op is 0): unknown attributes,
 * trailing data and reserved header fields are refused. An op without a
 * request set gets the core's reject-all policy.
 */
static const struct genl_ops kuchan_nl_ops[] = {
	{
		.cmd		= KUCHAN_CMD_SIGNAL,
		.doit		= kuchan_nl_signal_doit,
		.policy		= kuchan_signal_nl_policy,
		.maxattr	= KUCHAN_A_SIGNAL_VALUE,
	},
	{
		.cmd		= KUCHAN_CMD_HELPER_SET,
		.doit		= kuchan_nl_helper_set_doit,
		.policy		= kuchan_helper_set_nl_policy,
		.maxattr	= KUCHAN_A_HELPER_EVENT_MASK,
	},
	{
		.cmd		= KUCHAN_CMD_HELPER_GET,
		.doit		= kuchan_nl_helper_get_doit,
	},
	{
		.cmd		= KUCHAN_CMD_HELPER_CLEAR,
		.doit		= kuchan_nl_helper_clear_doit,
	},
	{
		.cmd		= KUCHAN_CMD_EMIT,
		.doit		= kuchan_nl_emit_doit,
		.policy		= kuchan_emit_nl_policy,
		.maxattr	= KUCHAN_A_CUSTOM_DATA,
	},
	{
		.cmd		= KUCHAN_CMD_GET_STATS,
		.doit		= kuchan_nl_get_stats_doit,
	},
	{
		.cmd		= KUCHAN_CMD_SUBSCRIBE,
		.doit		= kuchan_nl_subscribe_doit,
		.policy		= kuchan_subscribe_nl_policy,
		.maxattr	= KUCHAN_A_SUBSCRIPTION_EVENT_MASK,
	},
	{
		.cmd		= KUCHAN_CMD_UNSUBSCRIBE,
		.doit		= kuchan_nl_unsubscribe_doit,
	},
};

static const struct genl_multicast_group kuchan_nl_mcgrps[] = {
	[KUCHAN_NLGRP_MONITOR] = {
		.name = KUCHAN_MCGRP_MONITOR,
#ifdef GENL_MCAST_CAP_NET_ADMIN
		.flags = GENL_MCAST_CAP_NET_ADMIN,
#endif
	},
};

struct genl_family kuchan_nl_family __ro_after_init = {
	.name		= KUCHAN_FAMILY_NAME,
	.version	= KUCHAN_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= kuchan_nl_ops,
	.n_ops		= ARRAY_SIZE(kuchan_nl_ops),
	.resv_start_op	= 0,
	.mcgrps		= kuchan_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(kuchan_nl_mcgrps),
};
