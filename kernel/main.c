// SPDX-License-Identifier: GPL-2.0
/*
 * kuchan: kernel events to user space, and user-space actions to the kernel,
 * over the generic netlink family "kuchan".
 *
 * This file is the init/exit ladder and nothing else: each subsystem exports
 * its own *_init and *_uninit.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "events.h"
#include "helper.h"
#include "netlink.h"
#include "subscriptions.h"

static int __init kuchan_mod_init(void)
{
	int ret;

	ret = kuchan_events_init();
	if (ret)
		goto err_events;
	ret = kuchan_helper_init();
	if (ret)
		goto err_helper;
	ret = kuchan_subscriptions_init();
	if (ret)
		goto err_subscriptions;
	ret = kuchan_netlink_init();
	if (ret)
		goto err_netlink;

	pr_debug("loaded, protocol version %u\n", KUCHAN_FAMILY_VERSION);
	return 0;

err_netlink:
	kuchan_events_close();	/* as on unload: nothing goes out from here */
	kuchan_subscriptions_uninit();
err_subscriptions:
	kuchan_helper_uninit();
err_helper:
	kuchan_events_uninit();
err_events:
	return ret;
}

static void __exit kuchan_mod_exit(void)
{
	/*
	 * Producers stop before the family goes: from here on no event is
	 * multicast, so none lands on a group id that is no longer ours.
	 */
	kuchan_events_close();
	kuchan_netlink_uninit();
	kuchan_subscriptions_uninit();
	kuchan_helper_uninit();
	kuchan_events_uninit();
}

module_init(kuchan_mod_init);
module_exit(kuchan_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kuchan: kernel events and actions over generic netlink");
MODULE_AUTHOR("The kuchan authors");
MODULE_ALIAS_GENL_FAMILY(KUCHAN_FAMILY_NAME);
