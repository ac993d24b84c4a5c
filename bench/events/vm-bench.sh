#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM (bench/events/run-bench-vm puts it there): the event benchmarks
# of docs/benchmarks.md. Prints BENCH lines; timings are never pass/fail.
set -e
echo "KERNEL $(uname -r)"
# Raising an event nobody listens to, timed in the kernel (9 reps).
for i in 1 2 3 4 5 6 7 8 9; do
	modprobe kuchan_test_raise count=0 idle_ns=1000000
	rmmod kuchan_test_raise
done
dmesg | grep 'kuchan_test_raise: idle:' | sed 's/^.*kuchan_test_raise: /BENCH /'
# Delivery: 50,000-event bursts, 3 interleaved reps.
kuchan_event_bench 50000 ${KUCHAN_BENCH_REPS:-3}
