# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# Sourced by the man page and completion tests: what kuchanctl's --help
# lists, read from the program itself, so those tests follow the program.

# The commands of `kuchanctl --help', one a line.
help_commands() {
	"$1" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit }
		on && /^  [a-z]/ { print $1 }'
}

# The long options a command's --help documents under "Options:", one a
# line (not --help, which every command has).
help_options() {
	local kuchanctl=$1
	shift
	"$kuchanctl" "$@" --help | awk '/^Options:/ { on = 1; next }
		on && /^[^ ]/ { exit } on' |
		grep -oE -- '(^|[ ,])--[a-z][a-z-]*' | tr -d ' ,' | grep -vx -- --help | sort -u
}

# The event types a command's --help lists after --type, one a line.
help_types() {
	local kuchanctl=$1
	shift
	"$kuchanctl" "$@" --help | awk '/^  --type TYPE/ { on = 1 } on { print }
		on && /(all|lost)$/ { exit }' |
		grep -oE '\b(signal_sent|helper_[a-z]+|custom|lost)\b' | sort -u
}

fail() {
	echo "FAIL: $*" >&2
	failed=1
}
