#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In the test VM (a guest "test", run by guest-init with gtest's arguments,
# which it ignores): the consumer programs built against the staged
# libkuchan (consumer-build.sh) talk to the module DKMS built.
set -u
status=0
for p in kuchan-consumer-cmake kuchan-consumer-pkgconfig; do
	echo "step: $p"
	out=$("$p") || { echo "FAIL: $p exited $?"; status=1; continue; }
	echo "$out"
	# The module's protocol version is the one the library speaks.
	v=$(echo "$out" | sed -n 's/^kuchan family [0-9]*, protocol version \([0-9]*\) (libkuchan speaks \([0-9]*\)).*/\1 \2/p')
	set -- $v
	if [ -z "$v" ] || [ "$1" != "$2" ]; then
		echo "FAIL: $p: no family line, or versions differ"
		status=1
	fi
	echo "$out" | grep -q '^events raised: [0-9][0-9]*$' ||
		{ echo "FAIL: $p printed no counters"; status=1; }
	# HELPER_GET, from the library (helper_config.h), not from kuchanctl.
	echo "$out" | grep -q '^usermode helper: ' ||
		{ echo "FAIL: $p printed no helper"; status=1; }
done
exit $status
