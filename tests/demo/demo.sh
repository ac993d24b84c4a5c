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
echo "(sent by kuchanctl itself, like sigqueue(3): the module sends no values)"
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

echo
echo "# A helper the kernel runs on events, with the event in its environment"
echo "# (setting it needs CAP_SYS_ADMIN in the initial namespaces):"
# The helper must be a program only root can change: root's, in root's
# directories, writable by nobody else (not under /tmp).
mkdir -p /usr/local/sbin
cat >/usr/local/sbin/on-event <<'SCRIPT'
#!/bin/sh
echo "on-event [$*]: $(env | grep '^KUCHAN_' | sort | tr '\n' ' ')" >>/run/on-event.log
SCRIPT
chmod 755 /usr/local/sbin/on-event
step kuchanctl helper set --type custom /usr/local/sbin/on-event "first argument"
step kuchanctl helper get
step kuchanctl emit 9 door=closed
sleep 1
step cat /run/on-event.log
step kuchanctl helper clear

echo
echo "# A process that only understands signals, woken by a subscription:"
echo "# SI_ASYNCIO, with the event's sequence number in si_addr."
kuchanctl subscribe --signal USR1 --type custom -- kuchan-print-siginfo & sub=$!
sleep 1
step kuchanctl emit 10
sleep 0.5
kill -TERM "$sub"
wait "$sub"

step kuchanctl stats
true
