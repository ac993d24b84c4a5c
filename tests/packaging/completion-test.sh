#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Drives the bash completion of kuchanctl the way bash does at a TAB (the
# COMP_* variables, then the completion function) and checks what it offers
# against kuchanctl's own --help and `signal -l': every command, every long
# option of every command, the event types, signal names.
#
# Usage: completion-test.sh COMPLETION_FILE KUCHANCTL
# Word lists (commands, options, types) are split into words on purpose.
# shellcheck disable=SC2046,SC2086
set -uo pipefail
completion=$1 kuchanctl=$2
. "$(dirname "$0")/help-lists.sh"
failed=

bc=/usr/share/bash-completion/bash_completion
[ -r "$bc" ] || { echo "FAIL: $bc missing (apt-get install bash-completion)" >&2; exit 1; }
# The completion runs `kuchanctl' by the name typed: this build's.
PATH=$(cd "$(dirname "$kuchanctl")" && pwd):$PATH
export PATH

# What a TAB after LINE offers, one word a line, sorted.
complete_line() {
	bash --norc --noprofile -c '
		. "$1"; . "$2"
		line=$3
		read -ra COMP_WORDS <<<"$line"
		[[ $line == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line}
		_kuchanctl kuchanctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$bc" "$completion" "$1" | sort -u
}

# offers LINE WORD...: a TAB after LINE offers every WORD.
offers() {
	local line=$1 got w
	shift
	got=$(complete_line "$line")
	for w in "$@"; do
		grep -qxF -- "$w" <<<"$got" || fail "\`$line<TAB>' does not offer \`$w' (offers: $(echo $got))"
	done
}

commands=$(help_commands "$kuchanctl")
[ -n "$commands" ] || fail "kuchanctl --help lists no command"
offers "kuchanctl " $commands --help --version
offers "kuchanctl help " $commands
offers "kuchanctl mon" monitor
for c in $commands; do
	[ "$c" = helper ] && continue
	opts=$(help_options "$kuchanctl" "$c")
	offers "kuchanctl $c -" $opts --help
done
offers "kuchanctl helper " set get clear
offers "kuchanctl helper set -" $(help_options "$kuchanctl" helper set)
offers "kuchanctl monitor --type " $(help_types "$kuchanctl" monitor)
offers "kuchanctl subscribe --type " $(help_types "$kuchanctl" subscribe)
offers "kuchanctl helper set --type " $(help_types "$kuchanctl" helper set)
offers "kuchanctl monitor --timestamp " wall relative
offers "kuchanctl signal 1 " TERM HUP RTMIN+3 15
offers "kuchanctl signal 1 RT" RTMIN RTMAX-1
offers "kuchanctl subscribe --signal " USR1 USR2 IO RTMIN RTMAX
# Exactly the signals the module takes for a subscription.
got=$(complete_line "kuchanctl subscribe --signal ")
grep -qxE 'TERM|KILL|HUP' <<<"$got" && fail "subscribe --signal offers signals the module refuses"
# Nothing but event types after --type.
got=$(complete_line "kuchanctl monitor --type ")
[ "$got" = "$(help_types "$kuchanctl" monitor)" ] ||
	fail "monitor --type offers $(echo $got), --help lists $(echo $(help_types "$kuchanctl" monitor))"

[ -z "$failed" ] || exit 1
echo "completion: offers $(wc -w <<<"$commands") commands, their options, event types and signals"
