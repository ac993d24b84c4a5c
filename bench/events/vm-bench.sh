#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM (bench/events/run-bench-vm puts it there): the event benchmarks
# of docs/benchmarks.md. Prints BENCH lines; timings are never pass/fail.
# kuchan_event_bench does everything, interleaved rep by rep: kuchan against
# the baseline module (kuchan_bench_base), idle raises, raises with a
# listener (process context and hard irq), 50,000-event bursts, latency.
set -e
echo "KERNEL $(uname -r)"
reps=${KUCHAN_BENCH_REPS:-3}
kuchan_event_bench burst=50000 reps="$reps"
# The bursts again with the largest per-CPU buffer kuchan takes (16 MiB,
# room for the whole burst): what delivery does when no event meets a
# full buffer; 7 reps: from one rep to the next the rates vary several-fold.
modprobe -r kuchan
modprobe kuchan event_buffer_kb=16384
kuchan_event_bench burst=50000 reps="${KUCHAN_BENCH_DELIVERY_REPS:-7}" delivery_only=1
