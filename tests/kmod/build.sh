#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Builds the test modules against kuchan's exported symbols, with W=1, and
# fails on any warning.
# Usage: build.sh KDIR KUCHAN_SRC_DIR KUCHAN_BUILD_DIR OUT_DIR
set -eu
# Run kbuild on its own, not as a sub-make of the build that called us.
unset MAKEFLAGS MFLAGS MAKELEVEL
kdir=$1 ksrc=$2 kbuild=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
cp "$here"/Kbuild "$here"/*.c "$here"/*.h "$out"/
make -s -C "$kdir" M="$out" W=1 KUCHAN_SRC="$ksrc" \
	KBUILD_EXTRA_SYMBOLS="$kbuild/Module.symvers" modules >"$out/build.log" 2>&1 || {
	cat "$out/build.log"
	exit 1
}
if grep -v 'Skipping BTF generation' "$out/build.log" | grep -Ei 'warning|error'; then
	exit 1
fi
