#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Makes a protoc-generated .pb.cc register its file descriptor on first use
# instead of before main().
#
# protoc (3.21) emits, in every .pb.cc, a static AddDescriptorsRunner that
# parses the file's whole serialized FileDescriptorProto and indexes its
# symbols at start-up, in every program that links the file, whether or not
# the program ever uses reflection. Nothing else depends on it having run:
# every path to a descriptor (Msg::descriptor(), GetMetadata(), reflection,
# DebugString, the JSON mapping) goes through AssignDescriptors(), which
# adds the file first (generated_message_reflection.cc); protoc itself
# leaves the runner out of Google's internal descriptor.proto for this
# reason ("Descriptor initialization will still be performed lazily when it
# is needed", compiler/cpp/file.cc). What the runner buys is finding the
# file's types by name in the generated pool before any of them was used,
# which kuchan never does.
#
# For kuchanctl that start-up parse was ~0.4 M of 1.3 M instructions before
# main(), paid by `kuchanctl signal`, which uses no reflection at all.
#
# Usage: lazy-descriptors.sh FILE.pb.cc   (fails unless exactly one runner
# was removed, so a protoc that changes its output is noticed)
set -eu
f=$1
n=$(grep -c 'static ::_pbi::AddDescriptorsRunner dynamic_init_dummy_' "$f" || true)
if [ "$n" != 1 ]; then
	echo "lazy-descriptors: expected one AddDescriptorsRunner in $f, found $n" >&2
	exit 1
fi
sed -i '/static ::_pbi::AddDescriptorsRunner dynamic_init_dummy_/d' "$f"
