/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit: generated from proto/kuchan.proto by gen/ (protoc-gen-kuchan-kernel).
 * Regenerate with: cmake --build build --target regen
 */

#ifndef _UAPI_LINUX_KUCHAN_H
#define _UAPI_LINUX_KUCHAN_H

#define KUCHAN_FAMILY_NAME	"kuchan"
#define KUCHAN_FAMILY_VERSION	2
#define KUCHAN_MCGRP_MONITOR	"monitor"

/*
 * Commands and their attributes
 * =============================
 *
 * KUCHAN_CMD_SIGNAL (do, no core permission check)
 *   Send a signal to one or more processes, with exactly the rights the
 *   caller's own kill(2) has. The ACK carries the first failure's errno; when
 *   a target failed, a reply with every target's result comes first. Request
 *   and reply are one set, as YNL wants of an op: the reply carries the
 *   set's reply-only `results` alone.
 *   request:
 *     KUCHAN_A_SIGNAL_TARGETS: nested, multi-attr, at most 64 times
 *       KUCHAN_A_TARGET_PID: s32
 *       KUCHAN_A_TARGET_START_TIME: u64
 *     KUCHAN_A_SIGNAL_SIGNAL: u32
 *     KUCHAN_A_SIGNAL_VALUE: s32
 *   reply:
 *     KUCHAN_A_SIGNAL_RESULTS: nested, multi-attr, at most 64 times
 *       KUCHAN_A_RESULT_PID: s32
 *       KUCHAN_A_RESULT_ERROR: u32
 *
 * KUCHAN_CMD_HELPER_SET (do, no core permission check)
 *   Set, read and clear the usermode helper the kernel runs on events.
 *   Setting and clearing need CAP_SYS_ADMIN in the initial user namespace
 *   (sender and socket opener) and a caller in the initial PID and network
 *   namespaces; reading needs CAP_NET_ADMIN (sender and opener). The
 *   handlers check all of it themselves, so that every refusal comes with
 *   an extack message saying which rule refused (see kernel/helper.c).
 *   request:
 *     KUCHAN_A_HELPER_PATH: nul string, 1..4095 bytes
 *     KUCHAN_A_HELPER_ARGS: nested, multi-attr, at most 16 times
 *       KUCHAN_A_ARG_VALUE: nul string, at most 255 bytes
 *     KUCHAN_A_HELPER_EVENT_MASK: u64
 *
 * KUCHAN_CMD_HELPER_GET (do, no core permission check)
 *   request: no attributes
 *   reply:
 *     KUCHAN_A_HELPER_PATH: nul string, 1..4095 bytes
 *     KUCHAN_A_HELPER_ARGS: nested, multi-attr, at most 16 times
 *       KUCHAN_A_ARG_VALUE: nul string, at most 255 bytes
 *     KUCHAN_A_HELPER_EVENT_MASK: u64, 8-byte aligned
 *     KUCHAN_A_HELPER_STATIC_PATH: nul string, at most 255 bytes
 *     KUCHAN_A_HELPER_PAD: pad
 *
 * KUCHAN_CMD_HELPER_CLEAR (do, no core permission check)
 *   request: no attributes
 *
 * KUCHAN_CMD_EMIT (do, no core permission check)
 *   Raise a custom event from user space (Event.origin says so). The ACK
 *   comes once the event has been delivered: multicast, and queued for the
 *   helper and subscriptions.
 *   Needs CAP_NET_ADMIN in the initial user namespace, for the sender and
 *   the socket's opener: the handler checks both, as for the helper, since
 *   GENL_ADMIN_PERM (netlink_capable()) skips the opener whenever the
 *   sender names the destination address.
 *   request:
 *     KUCHAN_A_CUSTOM_CODE: u32
 *     KUCHAN_A_CUSTOM_DATA: nested, multi-attr, at most 8 times
 *       KUCHAN_A_KV_KEY: nul string, 1..31 bytes
 *       KUCHAN_A_KV_VALUE: nul string, at most 127 bytes
 *
 * KUCHAN_CMD_GET_STATS (do, no core permission check)
 *   Event counters. CAP_NET_ADMIN, sender and opener, as CMD_EMIT.
 *   request: no attributes
 *   reply:
 *     KUCHAN_A_STATS_RAISED: u64, 8-byte aligned
 *     KUCHAN_A_STATS_MULTICAST: u64, 8-byte aligned
 *     KUCHAN_A_STATS_DROPPED_NO_LISTENER: u64, 8-byte aligned
 *     KUCHAN_A_STATS_DROPPED_NOMEM: u64, 8-byte aligned
 *     KUCHAN_A_STATS_PER_TYPE: nested, multi-attr, at most 32 times
 *       KUCHAN_A_TYPE_STATS_TYPE: u32, <= 6, enum kuchan_event_type
 *       KUCHAN_A_TYPE_STATS_RAISED: u64, 8-byte aligned
 *       KUCHAN_A_TYPE_STATS_PAD: pad
 *     KUCHAN_A_STATS_LAST_SEQ: u64, 8-byte aligned
 *     KUCHAN_A_STATS_DROPPED_RATE_LIMITED: u64, 8-byte aligned
 *     KUCHAN_A_STATS_HELPER_DROPPED_QUEUE_FULL: u64, 8-byte aligned
 *     KUCHAN_A_STATS_HELPER_DROPPED_USER_SHARE: u64, 8-byte aligned
 *     KUCHAN_A_STATS_HELPER_DROPPED_NOMEM: u64, 8-byte aligned
 *     KUCHAN_A_STATS_SUBSCRIPTION_SIGNALS_DROPPED: u64, 8-byte aligned
 *     KUCHAN_A_STATS_SUBSCRIPTIONS_REVOKED: u64, 8-byte aligned
 *     KUCHAN_A_STATS_DROPPED_BUFFER_FULL: u64, 8-byte aligned
 *     KUCHAN_A_STATS_BATCHES: u64, 8-byte aligned
 *     KUCHAN_A_STATS_PAD: pad
 *
 * KUCHAN_CMD_SUBSCRIBE (do, no core permission check)
 *   Ask to be signalled (only the caller itself) when events happen; lives
 *   as long as the requesting socket and process.
 *   request:
 *     KUCHAN_A_SUBSCRIPTION_SIGNAL: u32, 1..64
 *     KUCHAN_A_SUBSCRIPTION_EVENT_MASK: u64
 *
 * KUCHAN_CMD_UNSUBSCRIBE (do, no core permission check)
 *   request: no attributes
 *
 * KUCHAN_CMD_EVENT_NTF (multicast notification)
 *   Multicast on the "monitor" group; never a request.
 *   message:
 *     KUCHAN_A_EVENT_SEQ: u64, 8-byte aligned
 *     KUCHAN_A_EVENT_TIMESTAMP_NS: u64, 8-byte aligned
 *     KUCHAN_A_EVENT_TYPE: u32, <= 6, enum kuchan_event_type
 *     KUCHAN_A_EVENT_ACTOR: nested
 *       KUCHAN_A_PROCESS_PID: u32
 *       KUCHAN_A_PROCESS_TGID: u32
 *       KUCHAN_A_PROCESS_UID: u32
 *       KUCHAN_A_PROCESS_COMM: nul string, at most 15 bytes
 *       KUCHAN_A_PROCESS_START_TIME: u64, 8-byte aligned
 *       KUCHAN_A_PROCESS_PAD: pad
 *     KUCHAN_A_EVENT_ORIGIN: u32, <= 2, enum kuchan_origin
 *     KUCHAN_A_EVENT_PAD: pad
 *     KUCHAN_A_EVENT_SIGNAL_SENT: nested
 *       KUCHAN_A_SIGNAL_SENT_TARGET: nested
 *         KUCHAN_A_PROCESS_PID: u32
 *         KUCHAN_A_PROCESS_TGID: u32
 *         KUCHAN_A_PROCESS_UID: u32
 *         KUCHAN_A_PROCESS_COMM: nul string, at most 15 bytes
 *         KUCHAN_A_PROCESS_START_TIME: u64, 8-byte aligned
 *         KUCHAN_A_PROCESS_PAD: pad
 *       KUCHAN_A_SIGNAL_SENT_SIGNAL: u32
 *       KUCHAN_A_SIGNAL_SENT_VALUE: s32
 *       KUCHAN_A_SIGNAL_SENT_ERROR: u32
 *     KUCHAN_A_EVENT_HELPER_CHANGED: nested
 *       KUCHAN_A_HELPER_CHANGED_HELPER: nested
 *         KUCHAN_A_HELPER_PATH: nul string, 1..4095 bytes
 *         KUCHAN_A_HELPER_ARGS: nested, multi-attr, at most 16 times
 *           KUCHAN_A_ARG_VALUE: nul string, at most 255 bytes
 *         KUCHAN_A_HELPER_EVENT_MASK: u64, 8-byte aligned
 *         KUCHAN_A_HELPER_STATIC_PATH: nul string, at most 255 bytes
 *         KUCHAN_A_HELPER_PAD: pad
 *     KUCHAN_A_EVENT_HELPER_RAN: nested
 *       KUCHAN_A_HELPER_RAN_PATH: nul string, at most 255 bytes
 *       KUCHAN_A_HELPER_RAN_EVENT_SEQ: u64, 8-byte aligned
 *       KUCHAN_A_HELPER_RAN_EXIT_STATUS: s32
 *       KUCHAN_A_HELPER_RAN_ERROR: u32
 *       KUCHAN_A_HELPER_RAN_PAD: pad
 *     KUCHAN_A_EVENT_CUSTOM: nested
 *       KUCHAN_A_CUSTOM_CODE: u32
 *       KUCHAN_A_CUSTOM_DATA: nested, multi-attr, at most 8 times
 *         KUCHAN_A_KV_KEY: nul string, 1..31 bytes
 *         KUCHAN_A_KV_VALUE: nul string, at most 127 bytes
 *     KUCHAN_A_EVENT_HELPER_DROPPED: nested
 *       KUCHAN_A_HELPER_DROPPED_COUNT: u64, 8-byte aligned
 *       KUCHAN_A_HELPER_DROPPED_QUEUE_FULL: u64, 8-byte aligned
 *       KUCHAN_A_HELPER_DROPPED_USER_SHARE: u64, 8-byte aligned
 *       KUCHAN_A_HELPER_DROPPED_NOMEM: u64, 8-byte aligned
 *       KUCHAN_A_HELPER_DROPPED_RATE_LIMITED: u64, 8-byte aligned
 *       KUCHAN_A_HELPER_DROPPED_PAD: pad
 *     KUCHAN_A_EVENT_LOST: nested
 *       KUCHAN_A_LOST_COUNT: u64, 8-byte aligned
 *       KUCHAN_A_LOST_CPU: u32
 *       KUCHAN_A_LOST_PAD: pad
 */

enum kuchan_cmd {
	KUCHAN_CMD_UNSPEC = 0,
	/*
	 * Send a signal to one or more processes, with exactly the rights the
	 * caller's own kill(2) has. The ACK carries the first failure's errno; when
	 * a target failed, a reply with every target's result comes first. Request
	 * and reply are one set, as YNL wants of an op: the reply carries the
	 * set's reply-only `results` alone.
	 */
	KUCHAN_CMD_SIGNAL = 1,
	/*
	 * Set, read and clear the usermode helper the kernel runs on events.
	 * Setting and clearing need CAP_SYS_ADMIN in the initial user namespace
	 * (sender and socket opener) and a caller in the initial PID and network
	 * namespaces; reading needs CAP_NET_ADMIN (sender and opener). The
	 * handlers check all of it themselves, so that every refusal comes with
	 * an extack message saying which rule refused (see kernel/helper.c).
	 */
	KUCHAN_CMD_HELPER_SET = 2,
	KUCHAN_CMD_HELPER_GET = 3,
	KUCHAN_CMD_HELPER_CLEAR = 4,
	/*
	 * Raise a custom event from user space (Event.origin says so). The ACK
	 * comes once the event has been delivered: multicast, and queued for the
	 * helper and subscriptions.
	 * Needs CAP_NET_ADMIN in the initial user namespace, for the sender and
	 * the socket's opener: the handler checks both, as for the helper, since
	 * GENL_ADMIN_PERM (netlink_capable()) skips the opener whenever the
	 * sender names the destination address.
	 */
	KUCHAN_CMD_EMIT = 5,
	/*
	 * Event counters. CAP_NET_ADMIN, sender and opener, as CMD_EMIT.
	 */
	KUCHAN_CMD_GET_STATS = 6,
	/*
	 * Ask to be signalled (only the caller itself) when events happen; lives
	 * as long as the requesting socket and process.
	 */
	KUCHAN_CMD_SUBSCRIBE = 7,
	KUCHAN_CMD_UNSUBSCRIBE = 8,
	/*
	 * Multicast on the "monitor" group; never a request.
	 */
	KUCHAN_CMD_EVENT_NTF = 9,

	__KUCHAN_CMD_MAX,
	KUCHAN_CMD_MAX = (__KUCHAN_CMD_MAX - 1)
};

enum kuchan_event_type {
	KUCHAN_EVENT_UNSPEC = 0,
	KUCHAN_EVENT_SIGNAL_SENT = 1,
	KUCHAN_EVENT_HELPER_CHANGED = 2,
	KUCHAN_EVENT_HELPER_RAN = 3,
	KUCHAN_EVENT_CUSTOM = 4,
	/*
	 * What was dropped since the previous report (HelperDropped), at most
	 * one report a second.
	 */
	KUCHAN_EVENT_HELPER_DROPPED = 5,
	/*
	 * Events a CPU's buffer had no room for (Lost), in order: between the
	 * events raised on that CPU before and after them.
	 */
	KUCHAN_EVENT_LOST = 6,

	__KUCHAN_EVENT_TYPE_MAX,
	KUCHAN_EVENT_TYPE_MAX = (__KUCHAN_EVENT_TYPE_MAX - 1)
};

/*
 * Who raised an event.
 */
enum kuchan_origin {
	KUCHAN_ORIGIN_UNSPEC = 0,
	/*
	 * The kernel: kuchan itself (helper reports) or a kernel module through
	 * kuchan_raise_custom().
	 */
	KUCHAN_ORIGIN_KERNEL = 1,
	/*
	 * A request from user space: CMD_EMIT, CMD_SIGNAL, CMD_HELPER_SET/CLEAR.
	 * A daemon that acts on kernel events must not take these for them.
	 */
	KUCHAN_ORIGIN_USER = 2,

	__KUCHAN_ORIGIN_MAX,
	KUCHAN_ORIGIN_MAX = (__KUCHAN_ORIGIN_MAX - 1)
};

enum kuchan_a_target {
	KUCHAN_A_TARGET_UNSPEC,
	/*
	 * A PID as the caller's PID namespace numbers it. Process groups and
	 * "everyone" (0 and negative) are refused by the handler, with EINVAL as
	 * kill(2) gives for what it cannot do (a policy bound would say ERANGE).
	 */
	KUCHAN_A_TARGET_PID = 1,
	/*
	 * The target's start time as field 22 of /proc/PID/stat reports it (clock
	 * ticks since boot). When given and the PID now names a process that
	 * started at another time, the target is refused with ESRCH.
	 */
	KUCHAN_A_TARGET_START_TIME = 2,

	__KUCHAN_A_TARGET_MAX,
	KUCHAN_A_TARGET_MAX = (__KUCHAN_A_TARGET_MAX - 1)
};

enum kuchan_a_signal {
	KUCHAN_A_SIGNAL_UNSPEC,
	KUCHAN_A_SIGNAL_TARGETS = 1,
	/*
	 * 0 probes for existence and permission, as kill(2) does. Above _NSIG
	 * (64) the handler says EINVAL, as kill(2) does.
	 */
	KUCHAN_A_SIGNAL_SIGNAL = 2,
	/*
	 * Refused (EOPNOTSUPP): a signal with a value needs a siginfo of its own,
	 * and no function the kernel exports to modules both takes one and
	 * applies kill(2)'s permission, LSM and audit checks. sigqueue(3) and
	 * pidfd_send_signal(2) from user space apply every one of them
	 * (docs/security.md). Kept so that old clients get that answer.
	 */
	KUCHAN_A_SIGNAL_VALUE = 3,
	/*
	 * Reply only: one per target, in the request's order (SIGNAL's policy
	 * refuses it in a request).
	 */
	KUCHAN_A_SIGNAL_RESULTS = 4,

	__KUCHAN_A_SIGNAL_MAX,
	KUCHAN_A_SIGNAL_MAX = (__KUCHAN_A_SIGNAL_MAX - 1)
};

enum kuchan_a_result {
	KUCHAN_A_RESULT_UNSPEC,
	KUCHAN_A_RESULT_PID = 1,
	/*
	 * 0 when the signal was sent, else the positive errno kill(2) would give.
	 */
	KUCHAN_A_RESULT_ERROR = 2,

	__KUCHAN_A_RESULT_MAX,
	KUCHAN_A_RESULT_MAX = (__KUCHAN_A_RESULT_MAX - 1)
};

enum kuchan_a_arg {
	KUCHAN_A_ARG_UNSPEC,
	KUCHAN_A_ARG_VALUE = 1,

	__KUCHAN_A_ARG_MAX,
	KUCHAN_A_ARG_MAX = (__KUCHAN_A_ARG_MAX - 1)
};

enum kuchan_a_helper {
	KUCHAN_A_HELPER_UNSPEC,
	/*
	 * Absolute, no ".." component, 1..255 bytes, no NUL inside. The policy
	 * lets up to PATH_MAX through so that the handler refuses every bad path
	 * alike, with EINVAL and a message saying what is wrong.
	 */
	KUCHAN_A_HELPER_PATH = 1,
	/*
	 * Extra argv entries, passed one by one, never split on whitespace.
	 */
	KUCHAN_A_HELPER_ARGS = 2,
	/*
	 * Bit (1 << EventType) for each event type the helper runs for; absent or
	 * 0 means every type. The helper never runs for EVENT_HELPER_RAN,
	 * EVENT_HELPER_DROPPED and EVENT_LOST, its own reports and the buffers'
	 * (it would feed itself).
	 */
	KUCHAN_A_HELPER_EVENT_MASK = 3,
	/*
	 * Reply only: set when the kernel was built with
	 * CONFIG_STATIC_USERMODEHELPER, which makes it run this program (or, when
	 * empty, nothing at all) in place of `path`. HELPER_SET's policy refuses
	 * it.
	 */
	KUCHAN_A_HELPER_STATIC_PATH = 4,
	KUCHAN_A_HELPER_PAD = 5,

	__KUCHAN_A_HELPER_MAX,
	KUCHAN_A_HELPER_MAX = (__KUCHAN_A_HELPER_MAX - 1)
};

/*
 * A signal subscription: the requesting process (never another) is sent
 * `signal` with si_code SI_ASYNCIO and the event's seq in si_addr for each
 * event of the chosen types, process-directed, with the rights its own
 * kill(2) had when it subscribed (docs/helper.md). Lives as long as both
 * the requesting socket and the process, and ends when the process's
 * credentials change (a setuid exec, setuid(2), gained capabilities); one
 * per socket and process (subscribing again replaces it).
 */
enum kuchan_a_subscription {
	KUCHAN_A_SUBSCRIPTION_UNSPEC,
	/*
	 * Required: SIGUSR1, SIGUSR2, SIGIO or a real-time signal (32..64); the
	 * handler refuses every other signal with EINVAL.
	 */
	KUCHAN_A_SUBSCRIPTION_SIGNAL = 1,
	/*
	 * As HelperConfig.event_mask.
	 */
	KUCHAN_A_SUBSCRIPTION_EVENT_MASK = 2,

	__KUCHAN_A_SUBSCRIPTION_MAX,
	KUCHAN_A_SUBSCRIPTION_MAX = (__KUCHAN_A_SUBSCRIPTION_MAX - 1)
};

/*
 * A process as it was when the event happened: looking it up in /proc
 * afterwards misses short-lived processes.
 */
enum kuchan_a_process {
	KUCHAN_A_PROCESS_UNSPEC,
	KUCHAN_A_PROCESS_PID = 1,
	KUCHAN_A_PROCESS_TGID = 2,
	KUCHAN_A_PROCESS_UID = 3,
	KUCHAN_A_PROCESS_COMM = 4,
	/*
	 * As SignalTarget.start_time.
	 */
	KUCHAN_A_PROCESS_START_TIME = 5,
	KUCHAN_A_PROCESS_PAD = 6,

	__KUCHAN_A_PROCESS_MAX,
	KUCHAN_A_PROCESS_MAX = (__KUCHAN_A_PROCESS_MAX - 1)
};

enum kuchan_a_signal_sent {
	KUCHAN_A_SIGNAL_SENT_UNSPEC,
	KUCHAN_A_SIGNAL_SENT_TARGET = 1,
	KUCHAN_A_SIGNAL_SENT_SIGNAL = 2,
	/*
	 * Never sent since value signals left the module (SignalRequest.value).
	 */
	KUCHAN_A_SIGNAL_SENT_VALUE = 3,
	/*
	 * 0 when sent, else the positive errno.
	 */
	KUCHAN_A_SIGNAL_SENT_ERROR = 4,

	__KUCHAN_A_SIGNAL_SENT_MAX,
	KUCHAN_A_SIGNAL_SENT_MAX = (__KUCHAN_A_SIGNAL_SENT_MAX - 1)
};

enum kuchan_a_helper_changed {
	KUCHAN_A_HELPER_CHANGED_UNSPEC,
	/*
	 * Absent when the helper was cleared.
	 */
	KUCHAN_A_HELPER_CHANGED_HELPER = 1,

	__KUCHAN_A_HELPER_CHANGED_MAX,
	KUCHAN_A_HELPER_CHANGED_MAX = (__KUCHAN_A_HELPER_CHANGED_MAX - 1)
};

enum kuchan_a_helper_ran {
	KUCHAN_A_HELPER_RAN_UNSPEC,
	KUCHAN_A_HELPER_RAN_PATH = 1,
	/*
	 * The sequence number of the event the helper ran for.
	 */
	KUCHAN_A_HELPER_RAN_EVENT_SEQ = 2,
	/*
	 * The helper's wait status when it ran to the end.
	 */
	KUCHAN_A_HELPER_RAN_EXIT_STATUS = 3,
	/*
	 * The positive errno that stopped it (ENOENT, EACCES, ETIMEDOUT, ...).
	 */
	KUCHAN_A_HELPER_RAN_ERROR = 4,
	KUCHAN_A_HELPER_RAN_PAD = 5,

	__KUCHAN_A_HELPER_RAN_MAX,
	KUCHAN_A_HELPER_RAN_MAX = (__KUCHAN_A_HELPER_RAN_MAX - 1)
};

/*
 * The coalesced report of what was dropped since the previous one.
 */
enum kuchan_a_helper_dropped {
	KUCHAN_A_HELPER_DROPPED_UNSPEC,
	/*
	 * Helper runs dropped, for any reason: the sum of the next three.
	 */
	KUCHAN_A_HELPER_DROPPED_COUNT = 1,
	/*
	 * ... because the helper's queue was full;
	 */
	KUCHAN_A_HELPER_DROPPED_QUEUE_FULL = 2,
	/*
	 * ... because the unprivileged user whose request raised the event had
	 * used its share of the queue;
	 */
	KUCHAN_A_HELPER_DROPPED_USER_SHARE = 3,
	/*
	 * ... because memory was short.
	 */
	KUCHAN_A_HELPER_DROPPED_NOMEM = 4,
	/*
	 * Events that unprivileged users' requests would have raised beyond
	 * their rate: not raised at all, so no consumer saw them.
	 */
	KUCHAN_A_HELPER_DROPPED_RATE_LIMITED = 5,
	KUCHAN_A_HELPER_DROPPED_PAD = 6,

	__KUCHAN_A_HELPER_DROPPED_MAX,
	KUCHAN_A_HELPER_DROPPED_MAX = (__KUCHAN_A_HELPER_DROPPED_MAX - 1)
};

/*
 * Events raised on one CPU while its event buffer was full: never numbered,
 * never delivered to anyone. Comes where they would have been, among that
 * CPU's events (module parameter event_buffer_kb sizes the buffers).
 */
enum kuchan_a_lost {
	KUCHAN_A_LOST_UNSPEC,
	KUCHAN_A_LOST_COUNT = 1,
	KUCHAN_A_LOST_CPU = 2,
	KUCHAN_A_LOST_PAD = 3,

	__KUCHAN_A_LOST_MAX,
	KUCHAN_A_LOST_MAX = (__KUCHAN_A_LOST_MAX - 1)
};

enum kuchan_a_kv {
	KUCHAN_A_KV_UNSPEC,
	KUCHAN_A_KV_KEY = 1,
	KUCHAN_A_KV_VALUE = 2,

	__KUCHAN_A_KV_MAX,
	KUCHAN_A_KV_MAX = (__KUCHAN_A_KV_MAX - 1)
};

enum kuchan_a_custom {
	KUCHAN_A_CUSTOM_UNSPEC,
	KUCHAN_A_CUSTOM_CODE = 1,
	KUCHAN_A_CUSTOM_DATA = 2,

	__KUCHAN_A_CUSTOM_MAX,
	KUCHAN_A_CUSTOM_MAX = (__KUCHAN_A_CUSTOM_MAX - 1)
};

enum kuchan_a_event {
	KUCHAN_A_EVENT_UNSPEC,
	/*
	 * One counter for the family, taken by every event that has a consumer
	 * (the monitor group, the helper, a signal subscription); an event nobody
	 * consumes takes no number. A monitor listener that sees a gap between
	 * two numbers missed those events: its socket overflowed, or, only while
	 * it was joining, they went to the helper or subscribers alone. Helper
	 * runs (KUCHAN_SEQ, HelperRan.event_seq) and subscription signals
	 * (si_value) carry the same number as the multicast.
	 */
	KUCHAN_A_EVENT_SEQ = 1,
	/*
	 * CLOCK_REALTIME, nanoseconds.
	 */
	KUCHAN_A_EVENT_TIMESTAMP_NS = 2,
	KUCHAN_A_EVENT_TYPE = 3,
	/*
	 * The process that caused the event.
	 */
	KUCHAN_A_EVENT_ACTOR = 4,
	/*
	 * The kernel, or a request from user space.
	 */
	KUCHAN_A_EVENT_ORIGIN = 5,
	KUCHAN_A_EVENT_PAD = 6,
	KUCHAN_A_EVENT_SIGNAL_SENT = 16,
	KUCHAN_A_EVENT_HELPER_CHANGED = 17,
	KUCHAN_A_EVENT_HELPER_RAN = 18,
	KUCHAN_A_EVENT_CUSTOM = 19,
	KUCHAN_A_EVENT_HELPER_DROPPED = 20,
	KUCHAN_A_EVENT_LOST = 21,

	__KUCHAN_A_EVENT_MAX,
	KUCHAN_A_EVENT_MAX = (__KUCHAN_A_EVENT_MAX - 1)
};

enum kuchan_a_type_stats {
	KUCHAN_A_TYPE_STATS_UNSPEC,
	KUCHAN_A_TYPE_STATS_TYPE = 1,
	KUCHAN_A_TYPE_STATS_RAISED = 2,
	KUCHAN_A_TYPE_STATS_PAD = 3,

	__KUCHAN_A_TYPE_STATS_MAX,
	KUCHAN_A_TYPE_STATS_MAX = (__KUCHAN_A_TYPE_STATS_MAX - 1)
};

enum kuchan_a_stats {
	KUCHAN_A_STATS_UNSPEC,
	KUCHAN_A_STATS_RAISED = 1,
	KUCHAN_A_STATS_MULTICAST = 2,
	KUCHAN_A_STATS_DROPPED_NO_LISTENER = 3,
	KUCHAN_A_STATS_DROPPED_NOMEM = 4,
	KUCHAN_A_STATS_PER_TYPE = 5,
	/*
	 * The number of the last event numbered (0: none yet). Read in the same
	 * critical section as numbering and multicast, so every event up to it
	 * has been queued to or dropped by each listener: a subscriber that saw
	 * its socket overflow counts the events it lost at the end of a burst
	 * without waiting for the next event.
	 */
	KUCHAN_A_STATS_LAST_SEQ = 6,
	/*
	 * Events unprivileged users' requests would have raised beyond their rate
	 * (kuchan.user_event_rate a second, bursts of twice that).
	 */
	KUCHAN_A_STATS_DROPPED_RATE_LIMITED = 7,
	/*
	 * Helper runs dropped, by reason (HelperDropped).
	 */
	KUCHAN_A_STATS_HELPER_DROPPED_QUEUE_FULL = 8,
	KUCHAN_A_STATS_HELPER_DROPPED_USER_SHARE = 9,
	KUCHAN_A_STATS_HELPER_DROPPED_NOMEM = 10,
	/*
	 * Subscription signals dropped because the signalling queue was full.
	 */
	KUCHAN_A_STATS_SUBSCRIPTION_SIGNALS_DROPPED = 11,
	/*
	 * Subscriptions ended because their process's credentials changed.
	 */
	KUCHAN_A_STATS_SUBSCRIPTIONS_REVOKED = 12,
	/*
	 * Events a CPU's buffer had no room for (each reported as EVENT_LOST).
	 */
	KUCHAN_A_STATS_DROPPED_BUFFER_FULL = 13,
	/*
	 * Datagrams multicast: each carries one or more events.
	 */
	KUCHAN_A_STATS_BATCHES = 14,
	KUCHAN_A_STATS_PAD = 15,

	__KUCHAN_A_STATS_MAX,
	KUCHAN_A_STATS_MAX = (__KUCHAN_A_STATS_MAX - 1)
};

/*
 * Most times a multi-attr may come in one message. Policies cannot count:
 * the kernel's handlers check these.
 */
#define KUCHAN_A_SIGNAL_TARGETS_MAX_COUNT	64
#define KUCHAN_A_SIGNAL_RESULTS_MAX_COUNT	64
#define KUCHAN_A_HELPER_ARGS_MAX_COUNT	16
#define KUCHAN_A_CUSTOM_DATA_MAX_COUNT	8
#define KUCHAN_A_STATS_PER_TYPE_MAX_COUNT	32

#endif /* _UAPI_LINUX_KUCHAN_H */
