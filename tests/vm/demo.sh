#!/bin/sh
# `make demo`, and the first test of the main suite (make check): load the
# module and run the guests as a user would, showing each command and its
# output, and judging each: one TAP result per step.
# DEMO_LINUX_ON=6.12: the Linux step only on kernels 6.12.* (make check
# runs it on one of its two machines: linux_test.sh boots Linux on both).
. ./tap.sh
linux=1
case $(uname -r) in
${DEMO_LINUX_ON:-}*) ;;
*) linux=0 ;;
esac
echo "1..$((6 + linux))"

# step DESCRIPTION EXPECTED-STATUS PATTERN -- COMMAND...: show "$ COMMAND",
# its output and status, then ok if the status and the pattern match.
step() {
	desc=$1 want=$2 pat=$3
	shift 4
	n=$((n + 1))
	echo "\$ ${shown:-$*}"
	shown=
	out=$("$@" 2>&1)
	st=$?
	[ -z "$out" ] || echo "$out"
	echo "(exit status $st)"
	if [ "$st" = "$want" ] && echo "$out" | grep -q -- "$pat"; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc (want status $want and a line matching '$pat')"
		fail=$((fail + 1))
	fi
}

load() {
	insmod /lib/modules/extra/minivmm.ko && dmesg | grep 'minivmm: loaded' | sed 's/^\[[^]]*\] //'
}
shown="insmod /lib/modules/extra/minivmm.ko; dmesg | grep 'minivmm: loaded'"
step "the module loads and says what the CPU offers" 0 "minivmm: loaded: VMCS revision" -- load
step "vmm --info shows the API version and creates a VM" 0 "VM creation: works" -- vmm --info
step "a real-mode guest prints through the UART and exits with 0" 0 \
	"^Hello from a real-mode guest" -- vmm /guests/hello.img
step "a 64-bit C guest prints and exits with its own value, 86" 86 \
	"^Hello from a 64-bit C guest, through the UART!$" -- vmm /guests/hello64.img
step "four VCPUs agree on shared memory (the guest exits with 100)" 100 \
	"^smp: 4 VCPUs, .*agree$" -- vmm --cpus 4 /guests/smp64.img
# Linux: the test machine's own kernel boots under vmm, with a busybox
# initramfs vmm-run builds; a shell runs the commands, and their status (0,
# true's) comes back through the exit port (linux_test.sh checks the rest).
# vmm unpacks the kernel into its cache, $XDG_CACHE_HOME/minivmm: here a
# scratch directory, removed after the step (the test machine's RAM).
export XDG_CACHE_HOME=/tmp/demo-cache
[ $linux = 1 ] && step "Linux $(uname -r) boots under vmm and runs shell commands (status 0: true's)" 0 \
	"APIC: Keep in PIC mode(8259)" -- vmm-run -- 'uname -r; grep -E "timer|ttyS0" /proc/interrupts; dmesg | grep -E "APIC|tsc:"; true'
[ $linux = 1 ] || echo "# the Linux step runs on $DEMO_LINUX_ON.* kernels here; linux_test boots Linux on this one"
rm -rf /tmp/demo-cache	# the kernel vmm unpacked (XDG_CACHE_HOME, above)
step "the module unloads when no VM is open" 0 "" -- rmmod minivmm
[ "$fail" = 0 ]
