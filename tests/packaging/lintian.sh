#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lintian on the packages build-packages.sh built: fails on any error
# (warnings are shown). Usage: lintian.sh OUT_DIR
set -euo pipefail
changes=$(compgen -G "$1/kuchan_*_amd64.changes" | head -1) ||
	{ echo "lintian: no .changes in $1 (packages_build first)" >&2; exit 1; }
# lintian says it should not run as root; CI does, and so does this test.
lintian --fail-on error --display-level '>=warning' --tag-display-limit 0 \
	"$changes" 2> >(grep -v 'running with root privileges' >&2)
echo "lintian: no errors in $(basename "$changes")"
