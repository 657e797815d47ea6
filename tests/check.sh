#!/bin/bash
# `make check`: every test, one stage after the other, then one summary.
#   1. host unit tests (Check)        pure logic: parsers, log scanner
#   2. lint                           checkpatch --strict and sparse, kmod/
#   3. test machine, Bochs            the module under emulated VMX (main suite)
#   4. test machine, QEMU without VMX the module must refuse to load
# usage: tests/check.sh "VMRUN-COMMAND"   (the Makefile passes tests/vm/run ...)
set -u
vmrun=$1
start=$(date +%s)
pass=0 fail=0 skip=0
stages=()

stage() { # NAME STATUS SECONDS
	stages+=("$(printf '%-34s %-4s %4ss' "$1" "$2" "$3")")
}

# Add the counts of a "NAME: P passed, F failed[, S skipped]" line.
count() {
	local line
	line=$(grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		fail=$((fail + 1))
		return
	fi
	set -- $(echo "$line" | sed -E 's/^[^:]*: ([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?.*/\1 \2 \4/')
	pass=$((pass + $1)) fail=$((fail + $2)) skip=$((skip + ${3:-0}))
}

mkdir -p build/check
echo "== 1. host unit tests (Check)"
t0=$(date +%s) st=PASS
for t in tests/unit/check_*; do
	[ -x "$t" ] || continue
	out=build/check/$(basename "$t").log
	"./$t" 2>&1 | tee "$out"
	if [ "${PIPESTATUS[0]}" != 0 ]; then st=FAIL; fi
	# "100%: Checks: 6, Failures: 0, Errors: 0"
	read -r c f e < <(sed -nE 's/.*Checks: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2 \3/p' "$out")
	if [ -z "${c:-}" ]; then fail=$((fail + 1)); st=FAIL; continue; fi
	pass=$((pass + c - f - e)) fail=$((fail + f + e))
done
stage "host unit tests" $st $(( $(date +%s) - t0 ))

echo "== 2. lint: checkpatch --strict, sparse"
t0=$(date +%s)
if make --no-print-directory lint > build/check/lint.log 2>&1; then
	st=PASS pass=$((pass + 1))
else
	st=FAIL fail=$((fail + 1))
	grep -E 'WARNING|ERROR|CHECK|warning|error' build/check/lint.log | head -n 40
fi
tail -n 3 build/check/lint.log
stage "lint (checkpatch, sparse)" $st $(( $(date +%s) - t0 ))

echo "== 3. test machine: Bochs, Intel CPU with VMX and EPT, 2 CPUs"
t0=$(date +%s)
$vmrun --machine bochs --suite main --out build/vm/main-bochs | tee build/check/main-bochs.log
if [ "${PIPESTATUS[0]}" = 0 ]; then st=PASS; else st=FAIL; fi
count build/check/main-bochs.log
stage "test machine: Bochs (main suite)" $st $(( $(date +%s) - t0 ))

echo "== 4. test machine: QEMU without VMX"
t0=$(date +%s)
$vmrun --machine qemu-tcg --suite novmx --timeout 600 --out build/vm/novmx-qemu | tee build/check/novmx-qemu.log
if [ "${PIPESTATUS[0]}" = 0 ]; then st=PASS; else st=FAIL; fi
count build/check/novmx-qemu.log
stage "test machine: QEMU, no VMX" $st $(( $(date +%s) - t0 ))

echo
echo "== make check summary ($(( $(date +%s) - start ))s)"
printf '  %s\n' "${stages[@]}"
echo "check: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ] && [ "$skip" = 0 ] && ! printf '%s\n' "${stages[@]}" | grep -q FAIL
