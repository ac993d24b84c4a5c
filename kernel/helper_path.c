// SPDX-License-Identifier: GPL-2.0
/*
 * Whose program the usermode helper is: only one root alone can change may
 * run as root for every event.
 *
 * kuchan_helper_path_safe() wants a regular file named through no symbolic
 * link, the file and every directory above it owned by root and writable
 * by neither group nor others, on mounts that vouch for their owners (not
 * nosuid, not a user namespace's): the rule sshd's StrictModes and the
 * kernel's own modprobe path rely on. Otherwise whoever may write there
 * chooses what runs as root; a symbolic link's target may lead through
 * directories others own, and its owner may point it elsewhere; a user's
 * removable medium or FUSE mount carries files that merely claim to be
 * root's. HELPER_SET checks it for a clear refusal (helper.c), and the
 * helper's own process checks it again just before each exec
 * (helper_run.c), since only that lookup sees the namespaces and the files
 * the kernel will run. A script's interpreter (its #! line) is not
 * checked: it is the administrator's to choose.
 */

#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <net/netlink.h>

#include "helper_priv.h"

/* Directories above a file we walk at most; a deeper path is refused. */
#define KUCHAN_PATH_DEPTH_MAX	64
/* Walks restarted because a rename moved a directory meanwhile. */
#define KUCHAN_PATH_WALK_TRIES	4

/* Only root can change @inode: root's, and no group or other write bit. */
static bool kuchan_inode_root_only(const struct inode *inode)
{
	return uid_eq(inode->i_uid, GLOBAL_ROOT_UID) &&
	       !(inode->i_mode & 0022);	/* group or other write */
}

/*
 * Does @mnt vouch for its files' owners? Not when mounted nosuid (what
 * removable media and FUSE mounts get: their owners and modes are the
 * medium's, not the system's) nor when a user namespace mounted it.
 */
static bool kuchan_mount_trusted(const struct vfsmount *mnt)
{
	return !(mnt->mnt_flags & MNT_NOSUID) &&
	       mnt->mnt_sb->s_user_ns == &init_user_ns;
}

/*
 * One walk from @start's dentry up to the root of the mount namespace:
 * every inode root's alone and every mount trusted. Crosses mount points
 * with follow_up(); the directory a mount covers is not what anyone sees,
 * so it is not checked. Returns -EAGAIN when it met a dentry cut off from
 * its mount's root (moved away meanwhile), so that the caller walks again.
 */
static int kuchan_path_walk_up(const struct path *start,
			       enum kuchan_path_fault *fault)
{
	struct path p = *start;
	struct dentry *parent;
	bool check = true;
	int depth, ret = -ELOOP;

	*fault = KUCHAN_PATH_MOVING;
	path_get(&p);
	for (depth = 0; depth <= KUCHAN_PATH_DEPTH_MAX; depth++) {
		if (!kuchan_mount_trusted(p.mnt)) {
			*fault = KUCHAN_PATH_UNTRUSTED_MOUNT;
			ret = -EPERM;
			break;
		}
		if (check && !kuchan_inode_root_only(d_inode(p.dentry))) {
			*fault = p.dentry == start->dentry ?
				 KUCHAN_PATH_FILE_NOT_ROOTS :
				 KUCHAN_PATH_ABOVE_NOT_ROOTS;
			ret = -EPERM;
			break;
		}
		check = true;
		if (p.dentry == p.mnt->mnt_root) {
			if (!follow_up(&p)) {
				ret = 0;	/* the namespace's root */
				break;
			}
			check = false;
			continue;
		}
		if (IS_ROOT(p.dentry)) {
			ret = -EAGAIN;	/* not under its mount's root */
			break;
		}
		parent = dget_parent(p.dentry);
		dput(p.dentry);
		p.dentry = parent;
	}
	path_put(&p);
	return ret;
}

/**
 * kuchan_helper_path_safe() - may only root change what @name runs?
 * @name: an absolute path, at most KUCHAN_HELPER_PATH_MAX bytes
 * @fault: set to what is wrong when not
 *
 * @name must name a regular file through no symbolic link (a link's target
 * could lead through directories others own: name the program by its real
 * path), and the file and every directory above it must be root's alone
 * (kuchan_inode_root_only()) on mounts that vouch for their owners
 * (kuchan_mount_trusted()). Without symbolic links and ".." the directories
 * above the file are exactly those the path names. Looked up in the
 * caller's namespace, as exec will look it up; the walk up is repeated when
 * a rename moved a directory meanwhile (rename_lock).
 *
 * Context: process context; sleeps.
 * Return: 0, -ENOENT (or another lookup error), -ELOOP through a symbolic
 * link, -EACCES when not a regular file, -EPERM when someone other than
 * root could change it.
 */
int kuchan_helper_path_safe(const char *name, enum kuchan_path_fault *fault)
{
	struct path path;
	unsigned int seq;
	int tries, ret;

	if (strnlen(name, KUCHAN_HELPER_PATH_MAX + 1) > KUCHAN_HELPER_PATH_MAX) {
		*fault = KUCHAN_PATH_TOO_LONG;
		return -EINVAL;
	}
	ret = kern_path(name, LOOKUP_FOLLOW | LOOKUP_NO_SYMLINKS, &path);
	if (ret) {
		*fault = ret == -ENOENT ? KUCHAN_PATH_MISSING :
			 ret == -ELOOP ? KUCHAN_PATH_SYMLINK :
			 KUCHAN_PATH_LOOKUP;
		return ret;
	}
	if (!d_is_reg(path.dentry)) {
		*fault = KUCHAN_PATH_NOT_REGULAR;
		ret = -EACCES;
		goto out;
	}
	for (tries = 0; tries < KUCHAN_PATH_WALK_TRIES; tries++) {
		seq = read_seqbegin(&rename_lock);
		ret = kuchan_path_walk_up(&path, fault);
		if (ret != -EAGAIN && !read_seqretry(&rename_lock, seq))
			break;
		ret = -EAGAIN;
		cond_resched();
	}
	if (ret == -EAGAIN || ret == -ELOOP) {
		*fault = KUCHAN_PATH_MOVING;
		ret = -EBUSY;
	}
out:
	path_put(&path);
	return ret;
}

/**
 * kuchan_helper_path_fault() - say why a path was refused
 * @extack: the request's extended ACK
 * @attr: the path attribute
 * @fault: what kuchan_helper_path_safe() found
 */
void kuchan_helper_path_fault(struct netlink_ext_ack *extack,
			      const struct nlattr *attr,
			      enum kuchan_path_fault fault)
{
	switch (fault) {
	case KUCHAN_PATH_TOO_LONG:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "helper path is longer than 255 bytes");
		break;
	case KUCHAN_PATH_MISSING:
		NL_SET_ERR_MSG_ATTR(extack, attr, "the helper does not exist");
		break;
	case KUCHAN_PATH_SYMLINK:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the helper's path goes through a symbolic link: give the program's real path");
		break;
	case KUCHAN_PATH_LOOKUP:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the helper cannot be looked up");
		break;
	case KUCHAN_PATH_NOT_REGULAR:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the helper is not a regular file");
		break;
	case KUCHAN_PATH_FILE_NOT_ROOTS:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the helper is not owned by root, or group or others may write it");
		break;
	case KUCHAN_PATH_ABOVE_NOT_ROOTS:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a directory above the helper is not owned by root, or group or others may write it");
		break;
	case KUCHAN_PATH_UNTRUSTED_MOUNT:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the helper is on a mount that does not vouch for its owners (nosuid, or mounted in a user namespace)");
		break;
	case KUCHAN_PATH_MOVING:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the directories above the helper kept moving, or are nested too deep");
		break;
	}
}
