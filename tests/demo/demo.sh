# SPDX-License-Identifier: GPL-2.0
# The demo, run inside the VM by scripts/demo (busybox sh, as root, with
# kuchan.ko loaded and kuchanctl on the PATH).
step() { printf '\n$ %s\n' "$*"; "$@"; }

step kuchanctl info

echo
echo "# A process that prints the siginfo of every signal it gets, and a"
echo "# monitor that prints the events kuchan multicasts:"
kuchan-print-siginfo & receiver=$!
kuchanctl monitor --count 4 & monitor=$!
sleep 1

step kuchanctl signal "$receiver" USR1
sleep 0.2
step kuchanctl signal --value 42 "$receiver" RTMIN+3
sleep 0.2
step kuchanctl emit 7 door=open
sleep 0.2
step kuchanctl signal "$receiver" 999999 USR2
echo "(exit status $?: one PID could not be signalled, as kill(1) says)"
wait "$monitor"

echo
echo "# As an unprivileged user (uid 1000): kill(2)'s rights, nothing more."
step su -s /bin/sh tester -c "kuchanctl signal $receiver TERM"
echo "(exit status $?)"

step kuchanctl signal "$receiver" TERM
wait "$receiver"
step kuchanctl stats
true
