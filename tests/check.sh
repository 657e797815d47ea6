#!/bin/bash
# `make check`: every test, one stage after the other, then one summary.
#   1. host unit tests (Check)        pure logic: parsers, log scanner
#   2. lint                           checkpatch --strict and sparse, kmod/
#      packaging                      make install/uninstall, the man pages, make deb
#   3. test machine, Bochs            the module under emulated VMX (main suite),
#                                     on Linux 6.1 and 6.12 at the same time
#                                     (one Bochs per host core)
#   4. test machine, QEMU without VMX the module must refuse to load
# usage: tests/check.sh "VMRUN-6.1" "VMRUN-6.12"
#   each a tests/vm/run command with --kernel and --initrd (from the Makefile)
set -u
vmrun=$1
vmrun612=$2
start=$(date +%s)
pass=0 fail=0 skip=0
stages=()

stage() { # NAME STATUS SECONDS
	stages+=("$(printf '%-34s %-4s %4ss' "$1" "$2" "$3")")
}

# Add the counts of a "NAME: P passed, F failed[, S skipped]" line.
count() {
	local line
	line=$(grep -E '^[a-z0-9.-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
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

echo "== 2b. packaging: make install and uninstall, the man pages, make deb"
t0=$(date +%s) st=PASS
for t in install manpages deb; do
	tests/lint/$t.sh > build/check/$t.log 2>&1 || st=FAIL
	cat build/check/$t.log
	count build/check/$t.log
done
stage "packaging (install, man, deb)" $st $(( $(date +%s) - t0 ))

echo "== 3. test machine: Bochs, Intel CPU with VMX and EPT, 2 CPUs: Linux 6.1 and 6.12 in parallel"
# Bochs runs one host thread: the two boots take one host core each. Their
# progress lines interleave, labelled [main-bochs-6.1] and [main-bochs-6.12].
boot() { # NAME VMRUN
	local t
	t=$(date +%s)
	$2 --machine bochs --suite main --timeout 3600 --out "build/vm/$1" --name "$1" > "build/check/$1.log" 2>&1
	echo "$? $(( $(date +%s) - t ))" > "build/check/$1.status"
}
rm -f build/check/main-bochs-*.status
: > build/check/main-bochs-6.1.log
: > build/check/main-bochs-6.12.log
tail -q -n +1 -F build/check/main-bochs-6.1.log build/check/main-bochs-6.12.log 2>/dev/null &
follow=$!
boot main-bochs-6.1 "$vmrun" &
b1=$!
boot main-bochs-6.12 "$vmrun612" &
b2=$!
wait "$b1" "$b2"
sleep 1	# let tail print the last lines
kill "$follow" 2>/dev/null
wait "$follow" 2>/dev/null
for k in 6.1 6.12; do
	rc=1 secs=0
	[ -r "build/check/main-bochs-$k.status" ] && read -r rc secs < "build/check/main-bochs-$k.status"
	if [ "$rc" = 0 ]; then st=PASS; else st=FAIL; fi
	count "build/check/main-bochs-$k.log"
	stage "test machine: Bochs $k (main)" $st "$secs"
done

echo "== 4. test machine: QEMU without VMX"
t0=$(date +%s)
$vmrun --machine qemu-tcg --suite novmx --timeout 600 --out build/vm/novmx-qemu | tee build/check/novmx-qemu.log
if [ "${PIPESTATUS[0]}" = 0 ]; then st=PASS; else st=FAIL; fi
count build/check/novmx-qemu.log
stage "test machine: QEMU, no VMX" $st $(( $(date +%s) - t0 ))

echo
echo "== make check summary ($(( $(date +%s) - start ))s)"
printf '  %s\n' "${stages[@]}"
# What failed, in the last lines CI shows: each failed program or case, and
# for a test machine that hung, the program it was running.
if [ "$fail" != 0 ]; then
	for f in build/check/*.log; do
		grep -hE '^\[[^]]*\] (failed: |FAIL: )' "$f"
		grep -q 'FAIL: no end of suite' "$f" &&
			grep -E '^\[[^]]*\] +[0-9]+s test [0-9]+/' "$f" | tail -n 1 | sed 's/$/ (running when it hung)/'
	done | cut -c 1-160 | head -n 12 | sed 's/^/  /'
fi
echo "check: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ] && [ "$skip" = 0 ] && ! printf '%s\n' "${stages[@]}" | grep -q FAIL
