/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KUCHAN_NETLINK_H
#define _KUCHAN_NETLINK_H

#include "kuchan-nl-gen.h"

struct cred;
struct genl_info;
struct nlattr;

const struct nlattr *kuchan_nl_next(const struct genl_info *info, int type,
				    const struct nlattr *prev);
bool kuchan_nl_capable(const struct sk_buff *skb, int cap);
const struct cred *kuchan_nl_opener_cred(const struct sk_buff *skb);
bool kuchan_cred_init_capable(const struct cred *cred, int cap);
bool kuchan_nl_opener_may_signal(const struct sk_buff *skb,
				 const struct cred *tcred);

int kuchan_nl_multicast(struct sk_buff *skb);

int kuchan_netlink_init(void);
void kuchan_netlink_uninit(void);

#endif /* _KUCHAN_NETLINK_H */
