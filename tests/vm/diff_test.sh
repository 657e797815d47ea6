#!/bin/sh
# Differential test (TAP): every guest in /guests runs under minivmm and
# under Linux KVM (vmm --accel kvm) in the same boot, with the same loaders
# and device models; serial output, exit status, vmm's messages and the
# final registers (vmm --dump-regs) must be identical. A difference fails
# with a unified diff (- minivmm, + KVM).
. ./tap.sh
echo "TAP version 13"

# guest  expected-status  vmm options ("stop": SIGTERM after 0.1 s; such
# a guest is stopped at an arbitrary point, so its general registers and
# RIP are not compared; "clock": the time of day it prints is dropped).
guests="hello.img 0 -
loop.img 73 stop
triple.img 70 -
mmio.img 42 -
pm32.img 32 -
hello64.img 86 -
smp64.img 100 --cpus=1
smp64.img 100 --cpus=4
timer.img 80 -
rtc.img 0 clock
reset.img 0 -
halt.img 0 -
echo.img 73 stop"

echo "1..$(($(echo "$guests" | wc -l) + 2))"
load_both_hypervisors

# Every image must be in the table: a new guest cannot go untested.
n=$((n + 1))
missing=
for img in /guests/*.img; do
	echo "$guests" | grep -q "^${img##*/} " || missing="$missing ${img##*/}"
done
if [ -z "$missing" ]; then
	echo "ok $n every guest in /guests is in the differential table"
else
	echo "not ok $n guests missing from the differential table:$missing"
	fail=$((fail + 1))
fi

# run ACCEL IMAGE OPTS OUTFILE: status on stdout, everything else in
# OUTFILE. vmm's UART reads stdin: give it /dev/null, not this loop's input.
run() {
	accel=$1 img=$2 opts=$3 out=$4
	case $opts in
	stop)
		vmm --accel "$accel" --dump-regs "/guests/$img" < /dev/null > "$out" 2>&1 &
		p=$!
		usleep 100000
		kill -TERM $p
		wait $p
		echo $?
		# Where the loop was stopped is arbitrary: drop RIP, the GPRs
		# and RFLAGS, and the RIP in vmm's message.
		sed -i -e '/^regs vcpu[0-9]* \(r[a-z0-9]*\|rflags\) /d' \
			-e 's/ at RIP 0x[0-9a-f]*$//' "$out"
		;;
	clock)
		timeout -s KILL 600 vmm --accel "$accel" --dump-regs "/guests/$img" < /dev/null > "$out" 2>&1
		echo $?
		sed -i 's/^rtc: .*/rtc: (the time of day)/' "$out"
		;;
	-)
		timeout -s KILL 600 vmm --accel "$accel" --dump-regs "/guests/$img" < /dev/null > "$out" 2>&1
		echo $?
		;;
	*)
		timeout -s KILL 600 vmm --accel "$accel" --dump-regs "$opts" "/guests/$img" < /dev/null > "$out" 2>&1
		echo $?
		;;
	esac
}

echo "$guests" | while read -r img want opts; do
	n=$((n + 1))
	a=$(run minivmm "$img" "$opts" /tmp/diff.minivmm)
	b=$(run kvm "$img" "$opts" /tmp/diff.kvm)
	desc="$img: same output, status and registers on minivmm and KVM"
	[ "$opts" = - ] || desc="$img $opts: same output, status and registers on minivmm and KVM"
	if [ "$a" = "$want" ] && [ "$b" = "$want" ] && cmp -s /tmp/diff.minivmm /tmp/diff.kvm; then
		echo "ok $n $desc (status $a, $(grep -c '^regs ' /tmp/diff.kvm) register lines)"
	else
		echo "not ok $n $desc"
		echo "# status: minivmm $a, KVM $b, expected $want"
		diff -u /tmp/diff.minivmm /tmp/diff.kvm | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
	echo $fail > /tmp/diff.fail
done
fail=$(cat /tmp/diff.fail 2>/dev/null || echo 1)
n=$(($(echo "$guests" | wc -l) + 2))

# The comparison itself must see a difference when there is one.
run minivmm hello.img - /tmp/diff.a > /dev/null
run minivmm pm32.img - /tmp/diff.b > /dev/null
if ! cmp -s /tmp/diff.a /tmp/diff.b && [ "$(diff -u /tmp/diff.a /tmp/diff.b | grep -c '^[-+]regs ')" -gt 10 ]; then
	echo "ok $n the comparison tells two different guests apart (hello.img, pm32.img)"
else
	echo "not ok $n the comparison does not tell hello.img from pm32.img"
	fail=$((fail + 1))
fi
rmmod kvm_intel kvm irqbypass 2>/dev/null
[ "$fail" = 0 ]
