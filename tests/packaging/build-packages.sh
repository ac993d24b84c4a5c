#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the Debian packages as a user would, `dpkg-buildpackage -us -uc -b',
# from a copy of the source tree in OUT_DIR/src (the tree itself stays
# clean, and the build never sees this build directory): OUT_DIR then holds
# kuchan-dkms, kuchan-tools and libkuchan-dev .debs and the .changes file
# the other packaging tests read.
#
# Usage: build-packages.sh SRC_DIR OUT_DIR
set -euo pipefail
src=$1 out=$2

rm -rf "$out"
mkdir -p "$out/src"
# The files git knows or would add (uncommitted edits count, build
# directories and other ignored files do not).
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$src" && git ls-files -z -co --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf -) | tar -C "$out/src" -xf -
else
	tar -C "$src" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$out/src" -xf -
fi

jobs=$(nproc)
[ "$jobs" -gt 2 ] && jobs=2
cd "$out/src"
echo "build-packages: dpkg-buildpackage -us -uc -b in $out/src (log: $out/build.log)"
if ! DEB_BUILD_OPTIONS="parallel=$jobs nocheck" nice dpkg-buildpackage -us -uc -b \
	>"$out/build.log" 2>&1; then
	tail -60 "$out/build.log"
	echo "build-packages: dpkg-buildpackage failed" >&2
	exit 1
fi

status=0
for p in kuchan-dkms_*_all.deb kuchan-tools_*_amd64.deb libkuchan-dev_*_amd64.deb \
	kuchan_*_amd64.changes; do
	f=$(compgen -G "$out/$p" | head -1) || true
	if [ -z "$f" ]; then
		echo "build-packages: no $p" >&2
		status=1
		continue
	fi
	echo "built $(basename "$f")"
done
# What kuchan-dkms must hold for DKMS, and kuchan-tools for users.
contents() { dpkg-deb -c "$(compgen -G "$out/$1" | head -1)" | awk '{ print $6 }'; }
dkms=$(contents 'kuchan-dkms_*_all.deb')
tools=$(contents 'kuchan-tools_*_amd64.deb')
for f in dkms.conf Kbuild Makefile main.c uapi/kuchan.h include/kuchan.h dkms-post-build; do
	grep -qE "^\./usr/src/kuchan-[0-9.]+/$f$" <<<"$dkms" ||
		{ echo "build-packages: kuchan-dkms lacks $f" >&2; status=1; }
done
for f in usr/bin/kuchanctl usr/sbin/kuchan-eventd lib/systemd/system/kuchan-eventd.service \
	usr/share/man/man8/kuchanctl.8.gz usr/share/man/man8/kuchan-eventd.8.gz \
	usr/share/man/man7/kuchan.7.gz usr/share/bash-completion/completions/kuchanctl; do
	grep -qx "\./$f" <<<"$tools" || { echo "build-packages: kuchan-tools lacks $f" >&2; status=1; }
done

# DKMS builds the module when kuchan-dkms is installed, and for every
# kernel installed later (dh_dkms's maintainer scripts, DKMS's own hooks).
dkms_deb=$(compgen -G "$out/kuchan-dkms_*_all.deb" | head -1)
dpkg-deb -f "$dkms_deb" Depends | grep -qw dkms ||
	{ echo "build-packages: kuchan-dkms does not depend on dkms" >&2; status=1; }
postinst=$(dpkg-deb -I "$dkms_deb" postinst)
grep -qx 'DKMS_NAME=kuchan' <<<"$postinst" && grep -q '/usr/lib/dkms/common.postinst' <<<"$postinst" ||
	{ echo "build-packages: kuchan-dkms's postinst does not run DKMS" >&2; status=1; }

# dkms.conf: the packaged version, built on every kernel from 6.1 on and
# on none before, also by bookworm's DKMS (3.0.10), which knows only
# BUILD_EXCLUSIVE_KERNEL, a regular expression.
conf=$(dpkg-deb --fsys-tarfile "$(compgen -G "$out/kuchan-dkms_*_all.deb" | head -1)" |
	tar -xO --wildcards './usr/src/kuchan-*/dkms.conf')
deb_ver=$(dpkg-parsechangelog -l "$out/src/debian/changelog" -S Version)
if ! (
	# What DKMS defines before it reads the file, which uses them.
	# shellcheck disable=SC2034
	kernel_source_dir=/lib/modules/REL/build dkms_tree=/var/lib/dkms kernelver=REL arch=x86_64
	eval "$conf"
	ok=0
	[ "$PACKAGE_VERSION" = "$deb_ver" ] || { echo "dkms.conf: version $PACKAGE_VERSION, not $deb_ver"; ok=1; }
	[ "$AUTOINSTALL" = yes ] || { echo "dkms.conf: AUTOINSTALL is not yes"; ok=1; }
	[ "$BUILD_EXCLUSIVE_KERNEL_MIN" = 6.1 ] || { echo "dkms.conf: BUILD_EXCLUSIVE_KERNEL_MIN is not 6.1"; ok=1; }
	for k in 6.1.0-57-amd64 6.1.0-1-rt-amd64 6.9.12-amd64 6.12.95+deb12-amd64 6.19.1 7.0.0-1-amd64 10.1.0; do
		[[ $k =~ $BUILD_EXCLUSIVE_KERNEL ]] || { echo "dkms.conf: kernel $k excluded"; ok=1; }
	done
	for k in 6.0.12-amd64 5.10.0-30-amd64 4.19.0-26-amd64 3.16.0-11-amd64; do
		[[ $k =~ $BUILD_EXCLUSIVE_KERNEL ]] && { echo "dkms.conf: kernel $k not excluded"; ok=1; }
	done
	exit $ok
) >&2; then
	status=1
fi
exit $status
