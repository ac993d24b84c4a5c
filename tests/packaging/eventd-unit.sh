#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kuchan-eventd.service as kuchan-tools ships it: hardened as the issue asks
# (the capability bounding set CAP_NET_ADMIN alone, netlink and Unix
# sockets only, a read-only system), rated "OK" or better by systemd's own
# `systemd-analyze security' (exposure at most 2.0 of 10), and starting a
# program the package holds.
# Usage: eventd-unit.sh PACKAGES_DIR
set -euo pipefail
deb=$(compgen -G "$1/kuchan-tools_*.deb" | grep -v dbgsym | head -1) ||
	{ echo "eventd-unit: no kuchan-tools package in $1 (packages_build first)" >&2; exit 1; }
root=$1/unit-root
rm -rf "$root"
dpkg-deb -x "$deb" "$root"
unit=$root/lib/systemd/system/kuchan-eventd.service
[ -f "$unit" ] || { echo "eventd-unit: no $unit" >&2; exit 1; }
status=0
for d in 'CapabilityBoundingSet=CAP_NET_ADMIN' 'AmbientCapabilities=CAP_NET_ADMIN' \
	'RestrictAddressFamilies=AF_NETLINK AF_UNIX' 'ProtectSystem=strict' \
	'NoNewPrivileges=yes' 'DynamicUser=yes'; do
	grep -qx "$d" "$unit" || { echo "eventd-unit: no \`$d'" >&2; status=1; }
done
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")
[ -x "$root$exec_start" ] ||
	{ echo "eventd-unit: ExecStart=$exec_start is not in the package" >&2; status=1; }
# --threshold: the exposure, 0..100 (the 0.0..10.0 shown, times ten).
if ! systemd-analyze security --offline=yes --root="$root" --threshold=20 \
	kuchan-eventd.service >"$1/unit-security.txt" 2>&1; then
	cat "$1/unit-security.txt"
	echo "eventd-unit: systemd-analyze security rates the unit above 2.0" >&2
	status=1
fi
[ $status = 0 ] && tail -1 "$1/unit-security.txt"
exit $status
