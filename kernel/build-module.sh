#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Builds kuchan.ko out of tree in OUT_DIR (kbuild writes its objects beside
# the sources, so the sources are copied there first; the source tree stays
# clean and several kernels build side by side).
#
# Usage: build-module.sh [--w1] KDIR SRC_DIR OUT_DIR
#   --w1  build with W=1 and fail on any compiler or modpost warning
set -eu
# Run kbuild on its own, not as a sub-make of the build that called us.
unset MAKEFLAGS MFLAGS MAKELEVEL
w1=
if [ "${1:-}" = --w1 ]; then
	w1=1
	shift
fi
kdir=$1 src=$2 out=$3

mkdir -p "$out"
find "$out" -mindepth 1 -maxdepth 1 ! -name 'build.log' -exec rm -rf {} +
cp -r "$src"/Kbuild "$src"/*.c "$src"/*.h "$src"/uapi "$out"/
[ -d "$src/include" ] && cp -r "$src/include" "$out"/

jobs=$(nproc 2>/dev/null || echo 2)
if [ -n "$w1" ]; then
	make -s -C "$kdir" M="$out" W=1 -j"$jobs" modules >"$out/build.log" 2>&1 || {
		cat "$out/build.log"
		echo "build-module: W=1 build failed for $kdir" >&2
		exit 1
	}
	# "Skipping BTF generation" is kbuild telling us vmlinux is absent from
	# the headers package; it is not about our code.
	if grep -v 'Skipping BTF generation' "$out/build.log" |
		grep -Ei 'warning|error' >/dev/null; then
		cat "$out/build.log"
		echo "build-module: W=1 build of kuchan.ko has warnings for $kdir" >&2
		exit 1
	fi
	echo "build-module: kuchan.ko builds with W=1 and no warnings for $kdir"
else
	make -s -C "$kdir" M="$out" -j"$jobs" modules
fi
