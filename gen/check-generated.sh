#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fails when the generated kernel files checked in under kernel/ differ from
# what the schema generates now.
# Usage: check-generated.sh PROTOC PLUGIN PROTO_DIR KERNEL_DIR SCRATCH_DIR
set -eu
protoc=$1 plugin=$2 proto=$3 kernel=$4 scratch=$5
rm -rf "$scratch"
mkdir -p "$scratch"
"$protoc" -I"$proto" --plugin=protoc-gen-kuchan-kernel="$plugin" \
	--kuchan-kernel_out="$scratch" "$proto/kuchan.proto"
status=0
for f in $(cd "$scratch" && find . -type f | sort); do
	if ! diff -u "$kernel/$f" "$scratch/$f"; then
		echo "check-generated: kernel/${f#./} is out of date with the schema;" \
			"run: cmake --build build --target regen" >&2
		status=1
	fi
done
[ $status -eq 0 ] && echo "check-generated: generated files match the schema"
exit $status
