// SPDX-License-Identifier: GPL-2.0
/*
 * Running the usermode helper: a bounded queue of events, a few runners,
 * a timeout that kills, and the reports of each run.
 *
 * Event delivery (events.c, process context) hands a copy of each event's
 * attributes to kuchan_helper_queue(). The queue holds at most
 * KUCHAN_HELPER_QUEUE_MAX events, and of those at most
 * KUCHAN_HELPER_USER_SHARE raised by one unprivileged user's requests and
 * KUCHAN_HELPER_USERS_SHARE by all of them together, so that nobody's
 * flood of SIGNAL requests crowds out root's or the kernel's events. What
 * does not fit is counted by reason (kuchan_event_lost()), and reported in
 * one coalesced EVENT_HELPER_DROPPED.
 *
 * At most KUCHAN_HELPER_RUNNERS helpers run at once: each runner is a work
 * item on our own workqueue, which takes jobs off the queue and runs the
 * helper with UMH_WAIT_PROC, so that exec failures and exit statuses come
 * back, and reports each run as an EVENT_HELPER_RAN. The helper's own
 * process checks, before exec, that the program is still one only root
 * can change (helper_path.c). A helper that runs longer than
 * helper_timeout seconds is killed (its struct pid is recorded by the init
 * callback in the new process, before exec). Before a suspend or
 * hibernation running helpers are killed and none starts until the resume:
 * the kernel gives a suspend up when usermode helpers run for more than
 * five seconds. Module unload kills running helpers at once and waits for
 * the runners, so nothing of ours runs after it: we always wait for
 * call_usermodehelper_exec() to finish (never UMH_KILLABLE, which could
 * return while the helper's init callback, our code, is still to run) and
 * pass no cleanup callback.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/suspend.h>
#include <linux/umh.h>
#include <linux/workqueue.h>

#include "events.h"
#include "helper.h"
#include "helper_priv.h"

/* At most this many events wait for the helper; more are dropped. */
#define KUCHAN_HELPER_QUEUE_MAX	32
/* ... of those, raised by one unprivileged user's requests, */
#define KUCHAN_HELPER_USER_SHARE	8
/* ... and by all unprivileged users' requests together. */
#define KUCHAN_HELPER_USERS_SHARE	(KUCHAN_HELPER_QUEUE_MAX / 2)
/* At most this many helpers run at once. */
#define KUCHAN_HELPER_RUNNERS	4

static unsigned int helper_timeout = 30;
module_param(helper_timeout, uint, 0644);
MODULE_PARM_DESC(helper_timeout,
		 "seconds a helper may run before it is killed (1..100, default 30)");

struct kuchan_helper_runner {
	struct work_struct work;
	struct delayed_work killer;
	spinlock_t lock;	/* guards pid and stop_err */
	struct pid *pid;	/* the running helper, once started */
	int stop_err;		/* -ETIMEDOUT, -ECANCELED: stop it */
};

static DEFINE_SPINLOCK(kuchan_helper_jobs_lock);
static LIST_HEAD(kuchan_helper_jobs);		/* under the jobs lock */
static unsigned int kuchan_helper_njobs;	/* under the jobs lock */
static bool kuchan_helper_stopping;		/* set under the jobs lock */
static bool kuchan_helper_paused;		/* set under the jobs lock */

static struct workqueue_struct *kuchan_helper_wq;
static struct kuchan_helper_runner kuchan_helper_runners[KUCHAN_HELPER_RUNNERS];

/**
 * kuchan_helper_job_new() - copy an event for the helper
 * @type: the event's type
 * @user: the unprivileged user whose request raised it, or INVALID_UID
 * @attrs: its attributes (the genetlink payload)
 * @len: their length
 *
 * Any context: allocates with GFP_ATOMIC.
 *
 * Return: the job, or NULL when memory is short (kuchan_helper_queue()
 * counts that as a drop).
 */
struct kuchan_helper_job *kuchan_helper_job_new(u32 type, kuid_t user,
						const void *attrs, int len)
{
	struct kuchan_helper_job *job;

	job = kmalloc(struct_size(job, attrs, len), GFP_ATOMIC);
	if (!job)
		return NULL;
	job->type = type;
	job->user = user;
	job->len = len;
	memcpy(job->attrs, attrs, len);
	return job;
}

/* Wakes every runner: they take jobs until the queue is empty. */
static void kuchan_helper_kick(void)
{
	int i;

	for (i = 0; i < KUCHAN_HELPER_RUNNERS; i++)
		queue_work(kuchan_helper_wq, &kuchan_helper_runners[i].work);
}

/*
 * May a job raised by @user's request join the queue? Always for the
 * kernel's events and privileged requests (INVALID_UID); an unprivileged
 * user gets KUCHAN_HELPER_USER_SHARE places, and all of them together
 * KUCHAN_HELPER_USERS_SHARE, so the rest stays for everyone else. Under
 * the jobs lock; the queue is short enough to count.
 */
static bool kuchan_helper_share_left(kuid_t user)
{
	const struct kuchan_helper_job *job;
	unsigned int mine = 0, users = 0;

	if (!uid_valid(user))
		return true;
	list_for_each_entry(job, &kuchan_helper_jobs, node) {
		if (!uid_valid(job->user))
			continue;
		users++;
		if (uid_eq(job->user, user))
			mine++;
	}
	return mine < KUCHAN_HELPER_USER_SHARE &&
	       users < KUCHAN_HELPER_USERS_SHARE;
}

/**
 * kuchan_helper_queue() - queue an event for the helper, or drop it
 * @job: from kuchan_helper_job_new(), or NULL when that failed; consumed
 * @seq: the event's sequence number
 *
 * Any context, never sleeps. Called by event delivery (events.c), one
 * event at a time, so jobs are queued in sequence order.
 */
void kuchan_helper_queue(struct kuchan_helper_job *job, u64 seq)
{
	unsigned long flags;

	spin_lock_irqsave(&kuchan_helper_jobs_lock, flags);
	if (kuchan_helper_stopping) {
		/* Unloading: nobody would see a drop report either. */
	} else if (!job) {
		kuchan_event_lost(KUCHAN_LOSS_HELPER_NOMEM);
	} else if (kuchan_helper_njobs >= KUCHAN_HELPER_QUEUE_MAX) {
		kuchan_event_lost(KUCHAN_LOSS_HELPER_FULL);
	} else if (!kuchan_helper_share_left(job->user)) {
		kuchan_event_lost(KUCHAN_LOSS_HELPER_SHARE);
	} else {
		job->seq = seq;
		list_add_tail(&job->node, &kuchan_helper_jobs);
		kuchan_helper_njobs++;
		job = NULL;
		/* Wakes idle runners; a busy one looks again when done. */
		kuchan_helper_kick();
	}
	spin_unlock_irqrestore(&kuchan_helper_jobs_lock, flags);
	kfree(job);
}

/* EVENT_HELPER_RAN: @ret is what call_usermodehelper_exec() returned. */
static void kuchan_helper_report_run(const char *path, u64 seq, int ret,
				     int stop_err)
{
	struct kuchan_event ev;
	int nest, err = 0;

	if (READ_ONCE(kuchan_helper_stopping))
		return;		/* the family is gone: nobody would hear */
	if (!kuchan_event_begin(&ev, KUCHAN_EVENT_HELPER_RAN,
				nla_total_size(KUCHAN_HELPER_PATH_MAX + 1) + 64))
		return;
	if (ret < 0)
		err = -ret;	/* never ran: ENOENT, EACCES, EBUSY, ... */
	else if (stop_err)
		err = -stop_err;	/* we killed it: ETIMEDOUT */
	nest = kuchan_nlb_nest_start(&ev.b, KUCHAN_A_EVENT_HELPER_RAN);
	if (nest < 0 ||
	    kuchan_nlb_put_string(&ev.b, KUCHAN_A_HELPER_RAN_PATH, path) ||
	    kuchan_nlb_put_u64_64bit(&ev.b, KUCHAN_A_HELPER_RAN_EVENT_SEQ, seq,
				     KUCHAN_A_HELPER_RAN_PAD) ||
	    (ret >= 0 &&
	     kuchan_nlb_put_s32(&ev.b, KUCHAN_A_HELPER_RAN_EXIT_STATUS, ret)) ||
	    (err && kuchan_nlb_put_u32(&ev.b, KUCHAN_A_HELPER_RAN_ERROR, err))) {
		kuchan_event_cancel(&ev);
		return;
	}
	kuchan_nlb_nest_end(&ev.b, nest);
	kuchan_event_send(&ev);
}

/* Kill the runner's helper, or keep it from starting. */
static void kuchan_helper_stop_runner(struct kuchan_helper_runner *r, int err)
{
	struct pid *pid;

	spin_lock(&r->lock);
	if (!r->stop_err)
		r->stop_err = err;
	pid = get_pid(r->pid);
	spin_unlock(&r->lock);
	if (pid)
		kill_pid(pid, SIGKILL, 1);
	put_pid(pid);
}

static void kuchan_helper_timeout(struct work_struct *work)
{
	kuchan_helper_stop_runner(container_of(to_delayed_work(work),
					       struct kuchan_helper_runner,
					       killer),
				  -ETIMEDOUT);
}

/*
 * The umh init callback: runs in the new process before exec. Refuses to
 * run a program someone other than root could have changed since it was
 * set (looked up here, as exec will: in the initial namespaces); records
 * the process's pid so that a timeout or unload can kill it; refuses to
 * start when one already asked to stop it.
 */
static int kuchan_helper_started(struct subprocess_info *info,
				 struct cred *new)
{
	struct kuchan_helper_runner *r = info->data;
	enum kuchan_path_fault fault;
	int ret;

	ret = kuchan_helper_path_safe(info->path, &fault);
	if (ret)
		return ret;
	spin_lock(&r->lock);
	if (r->stop_err)
		ret = r->stop_err;
	else
		r->pid = get_task_pid(current, PIDTYPE_PID);
	spin_unlock(&r->lock);
	return ret;
}

static void kuchan_helper_run(struct kuchan_helper_runner *r,
			      const struct kuchan_helper_job *job)
{
	unsigned int timeout = clamp(READ_ONCE(helper_timeout), 1U, 100U);
	struct subprocess_info *info;
	struct kuchan_helper *cfg;
	struct kuchan_env *env;
	struct pid *pid;
	int ret, stop_err;

	cfg = kuchan_helper_get();
	if (!cfg)
		return;		/* cleared since the event */
	if (!(kuchan_helper_types_for(cfg->mask) & BIT_ULL(job->type)))
		goto out_cfg;	/* replaced by one that does not want it */

	ret = -ENOMEM;
	stop_err = 0;
	env = kuchan_helper_env(job);
	if (!env)
		goto report;
	info = call_usermodehelper_setup(cfg->argv[0], cfg->argv,
					 kuchan_env_vector(env),
					 GFP_KERNEL, kuchan_helper_started,
					 NULL, r);
	if (!info)
		goto out_env;

	spin_lock(&r->lock);
	r->pid = NULL;
	r->stop_err = READ_ONCE(kuchan_helper_stopping) ||
		      READ_ONCE(kuchan_helper_paused) ? -ECANCELED : 0;
	spin_unlock(&r->lock);
	queue_delayed_work(system_wq, &r->killer, timeout * HZ);
	/*
	 * Waits until the helper has exited (or failed to exec), without
	 * UMH_KILLABLE: returning early would leave our init callback and
	 * our argv/envp to a helper still starting. The timeout bounds it.
	 * -EBUSY: helpers are disabled (early boot, suspend); reported.
	 */
	ret = call_usermodehelper_exec(info, UMH_WAIT_PROC);
	cancel_delayed_work_sync(&r->killer);

	spin_lock(&r->lock);
	pid = r->pid;
	r->pid = NULL;
	stop_err = pid ? r->stop_err : 0;
	spin_unlock(&r->lock);
	put_pid(pid);
out_env:
	kfree(env);
report:
	kuchan_helper_report_run(cfg->argv[0], job->seq, ret, stop_err);
out_cfg:
	kuchan_helper_release(cfg);
}

static void kuchan_helper_work(struct work_struct *work)
{
	struct kuchan_helper_runner *r =
		container_of(work, struct kuchan_helper_runner, work);
	struct kuchan_helper_job *job;
	bool stopping;

	for (;;) {
		spin_lock_irq(&kuchan_helper_jobs_lock);
		/* Paused for suspend: the jobs wait for the resume. */
		job = kuchan_helper_paused ? NULL :
		      list_first_entry_or_null(&kuchan_helper_jobs,
					       struct kuchan_helper_job, node);
		if (job) {
			list_del(&job->node);
			kuchan_helper_njobs--;
		}
		stopping = kuchan_helper_stopping;
		spin_unlock_irq(&kuchan_helper_jobs_lock);
		if (!job)
			return;
		if (!stopping)
			kuchan_helper_run(r, job);
		kfree(job);
		cond_resched();
	}
}

/*
 * Suspend and hibernation. freeze_processes() waits at most five seconds
 * for running usermode helpers, then gives the suspend up; a helper may
 * run helper_timeout seconds, and any user can have one started (each
 * SIGNAL raises an event). So before the freeze, helpers are killed (their
 * runs reported with ECANCELED) and none starts until the resume; events
 * keep queueing meanwhile, within the queue's bounds.
 */
static int kuchan_helper_pm(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	int i;

	switch (action) {
	case PM_SUSPEND_PREPARE:
	case PM_HIBERNATION_PREPARE:
	case PM_RESTORE_PREPARE:
		spin_lock_irq(&kuchan_helper_jobs_lock);
		WRITE_ONCE(kuchan_helper_paused, true);
		spin_unlock_irq(&kuchan_helper_jobs_lock);
		for (i = 0; i < KUCHAN_HELPER_RUNNERS; i++)
			kuchan_helper_stop_runner(&kuchan_helper_runners[i],
						  -ECANCELED);
		flush_workqueue(kuchan_helper_wq);
		break;
	case PM_POST_SUSPEND:
	case PM_POST_HIBERNATION:
	case PM_POST_RESTORE:
		spin_lock_irq(&kuchan_helper_jobs_lock);
		WRITE_ONCE(kuchan_helper_paused, false);
		spin_unlock_irq(&kuchan_helper_jobs_lock);
		kuchan_helper_kick();
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block kuchan_helper_pm_notifier = {
	.notifier_call = kuchan_helper_pm,
};

/**
 * kuchan_helper_runners_init() - get the queue and runners ready
 *
 * Return: 0, -ENOMEM, or the PM notifier's registration error.
 */
int kuchan_helper_runners_init(void)
{
	struct kuchan_helper_runner *r;
	int i, ret;

	kuchan_helper_wq = alloc_workqueue("kuchan_helper", WQ_UNBOUND,
					   KUCHAN_HELPER_RUNNERS);
	if (!kuchan_helper_wq)
		return -ENOMEM;
	for (i = 0; i < KUCHAN_HELPER_RUNNERS; i++) {
		r = &kuchan_helper_runners[i];
		INIT_WORK(&r->work, kuchan_helper_work);
		INIT_DELAYED_WORK(&r->killer, kuchan_helper_timeout);
		spin_lock_init(&r->lock);
	}
	ret = register_pm_notifier(&kuchan_helper_pm_notifier);
	if (ret)
		destroy_workqueue(kuchan_helper_wq);
	return ret;
}

/**
 * kuchan_helper_runners_uninit() - stop running helpers, drop the queue
 *
 * Kills running helpers, lets the runners finish and waits for them, so
 * no work of ours is left running or queued.
 */
void kuchan_helper_runners_uninit(void)
{
	struct kuchan_helper_job *job, *tmp;
	int i;

	unregister_pm_notifier(&kuchan_helper_pm_notifier);
	spin_lock_irq(&kuchan_helper_jobs_lock);
	WRITE_ONCE(kuchan_helper_stopping, true);
	spin_unlock_irq(&kuchan_helper_jobs_lock);

	for (i = 0; i < KUCHAN_HELPER_RUNNERS; i++)
		kuchan_helper_stop_runner(&kuchan_helper_runners[i],
					  -ECANCELED);
	destroy_workqueue(kuchan_helper_wq);
	for (i = 0; i < KUCHAN_HELPER_RUNNERS; i++)
		cancel_delayed_work_sync(&kuchan_helper_runners[i].killer);
	list_for_each_entry_safe(job, tmp, &kuchan_helper_jobs, node)
		kfree(job);
}
