#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `dkms build' of the source kuchan-dkms ships, against one installed
# kernel's headers, in a DKMS tree of its own (--dkmstree, --sourcetree):
# nothing is installed on the host, nothing loaded, /var/lib/dkms left as it
# was. Then, as kuchan-dkms's README.Debian tells other modules to, the test
# modules (tests/kmod) are built against kuchan's symbols from that tree
# (KBUILD_EXTRA_SYMBOLS), with W=1 and no warning.
#
# Leaves the module in PACKAGES_DIR/dkms/REL/kuchan.ko for the VM test.
# Usage: dkms-build.sh PACKAGES_DIR REL SRC_DIR
set -euo pipefail
pkgs=$1 rel=$2 src=$3
arch=$(uname -m)
deb=$(compgen -G "$pkgs/kuchan-dkms_*_all.deb" | head -1) ||
	{ echo "dkms-build: no kuchan-dkms package in $pkgs (packages_build first)" >&2; exit 1; }
w=$pkgs/dkms/$rel
rm -rf "$w"
mkdir -p "$w"
w=$(cd "$w" && pwd)
dpkg-deb -x "$deb" "$w/root"
usrsrc=$(compgen -G "$w/root/usr/src/kuchan-*" | head -1)
ver=${usrsrc##*/kuchan-}

host_dkms() { find /var/lib/dkms -printf '%p %s %T@\n' 2>/dev/null | sort; }
before=$(host_dkms)

# DKMS signs what it builds, with a key it makes on first use in
# /var/lib/dkms unless told where: here, inside this tree.
export mok_signing_key=$w/mok.key mok_certificate=$w/mok.pub
mkdir -p "$w/tree"
tree=(--dkmstree "$w/tree" --sourcetree "$w/root/usr/src")
dkms add -m kuchan -v "$ver" "${tree[@]}" >"$w/dkms.log" 2>&1 &&
	nice dkms build -m kuchan -v "$ver" -k "$rel" -j 2 "${tree[@]}" >>"$w/dkms.log" 2>&1 || {
	cat "$w/dkms.log"
	cat "$w/tree/kuchan/$ver/build/make.log" 2>/dev/null || true
	echo "dkms-build: dkms build failed for $rel" >&2
	exit 1
}
status=0
fail() { echo "dkms-build: $*" >&2; status=1; }
kdir=$w/tree/kuchan/$ver/$rel/$arch
ko=$(compgen -G "$kdir/module/kuchan.ko*" | head -1) || true
[ -n "$ko" ] || { cat "$w/dkms.log"; echo "dkms-build: no module in $kdir/module" >&2; exit 1; }
case "$ko" in
*.xz) xz -dc "$ko" >"$w/kuchan.ko" ;;
*.zst) zstd -qdc "$ko" >"$w/kuchan.ko" ;;
*.gz) gzip -dc "$ko" >"$w/kuchan.ko" ;;
*) cp "$ko" "$w/kuchan.ko" ;;
esac
vermagic=$(modinfo -F vermagic "$w/kuchan.ko")
[ "${vermagic%% *}" = "$rel" ] || fail "module's vermagic is \`$vermagic', not $rel"
grep -q 'kuchan_raise_custom' "$kdir/Module.symvers" 2>/dev/null ||
	fail "no Module.symvers exporting kuchan_raise_custom in $kdir"

# Another module against kuchan's symbols from the DKMS tree, headers from
# /usr/src (README.Debian's recipe).
"$src/tests/kmod/build.sh" "/lib/modules/$rel/build" "$usrsrc" "$kdir" "$w/kmod" ||
	fail "tests/kmod does not build against the DKMS tree's Module.symvers"
[ -s "$w/kmod/kuchan_test_raise.ko" ] || fail "no kuchan_test_raise.ko"

[ "$(host_dkms)" = "$before" ] || fail "/var/lib/dkms changed"
[ $status = 0 ] && echo "dkms-build: kuchan $ver built by DKMS for $rel ($(basename "$ko"))"
exit $status
