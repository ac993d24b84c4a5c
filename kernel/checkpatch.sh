#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the kernel's checkpatch.pl --strict over every source of the module,
# generated ones included. checkpatch.pl comes from Debian's linux-source
# tarball (installed by scripts/setup); the three files it needs are
# extracted once into SCRATCH_DIR.
# Usage: checkpatch.sh KERNEL_SRC_DIR SCRATCH_DIR
set -eu
src=$1 scratch=$2
cp_dir=$scratch/scripts
if [ ! -x "$cp_dir/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$tarball" ]; then
		echo "checkpatch: no /usr/src/linux-source-*.tar.xz: run scripts/setup" >&2
		exit 1
	fi
	top=$(basename "$tarball" .tar.xz)
	mkdir -p "$scratch"
	tar -xJf "$tarball" -C "$scratch" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
fi
cd "$src"
files=$(find . -name '*.[ch]' | sort)
# shellcheck disable=SC2086
"$cp_dir/checkpatch.pl" --strict --no-tree --quiet --show-types -f $files
echo "checkpatch: clean (--strict):" $files
