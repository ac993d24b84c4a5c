#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The man pages render without a warning from man(1) and groff, and say
# what the programs' --help says: kuchanctl(8) names every command `kuchanctl
# --help' lists and every long option each command's --help documents;
# kuchan-eventd(8) every option of its usage line; kuchan(7) every event
# type.
#
# Usage: man-test.sh MAN_DIR KUCHANCTL KUCHAN_EVENTD
set -uo pipefail
man_dir=$1 kuchanctl=$2 eventd=$3
. "$(dirname "$0")/help-lists.sh"
failed=

for page in kuchanctl.8 kuchan-eventd.8 kuchan.7; do
	f=$man_dir/$page
	[ -s "$f" ] || { fail "$f is missing"; continue; }
	err=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$f" 2>&1 >/dev/null)
	[ $? = 0 ] || fail "man -l $page failed"
	[ -z "$err" ] || fail "man --warnings -l $page: $err"
done

# Rendered wide, so that no word is hyphenated or broken across lines.
text() { MANWIDTH=1000 LC_ALL=C.UTF-8 man -l "$man_dir/$1" 2>/dev/null; }

ctl=$(text kuchanctl.8)
commands=$(help_commands "$kuchanctl")
[ -n "$commands" ] || fail "kuchanctl --help lists no command"
for c in $commands; do
	# Each command opens an entry of its own under COMMANDS.
	grep -qE "^ +$c( |$)" <<<"$ctl" || fail "kuchanctl(8) has no entry for \`$c'"
	opts=$(help_options "$kuchanctl" "$c")
	[ "$c" = helper ] && opts=$(help_options "$kuchanctl" helper set)
	for o in $opts; do
		grep -qF -- "$o" <<<"$ctl" || fail "kuchanctl(8) does not mention \`$c $o'"
	done
done
for o in $(help_options "$kuchanctl"); do
	grep -qF -- "$o" <<<"$ctl" || fail "kuchanctl(8) does not mention \`$o'"
done

# kuchan-eventd prints its usage on a bad argument.
usage=$("$eventd" --no-such-option 2>&1 >/dev/null)
opts=$(grep -oE -- '--[a-z][a-z-]*' <<<"$usage" | grep -vx -- --no-such-option)
[ -n "$opts" ] || fail "kuchan-eventd printed no usage: $usage"
ed=$(text kuchan-eventd.8)
for o in $opts; do
	grep -qF -- "$o" <<<"$ed" || fail "kuchan-eventd(8) does not mention \`$o'"
done

k7=$(text kuchan.7)
for t in $(help_types "$kuchanctl" monitor); do
	grep -qw -- "$t" <<<"$k7" || fail "kuchan(7) does not name the event type \`$t'"
done

[ -z "$failed" ] || exit 1
echo "man pages: render cleanly; $(wc -w <<<"$commands") commands and their options in kuchanctl(8)"
