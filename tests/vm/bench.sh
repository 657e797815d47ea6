#!/bin/sh
# Benchmarks in the test machine (TAP): tests/bench/bench64.img on minivmm
# and on KVM in this same boot, 3 runs each, and the compute loop natively.
# Per benchmark, the fastest run's TSC cycles per operation; the lines
# "# bench-csv: NAME,N,MINIVMM,KVM,RATIO[,NATIVE]" carry the results out
# (tests/bench/report.sh turns them into a table, a CSV and a chart).
. ./tap.sh
echo "TAP version 13"
# make bench's suite sets BENCH_QEMU=1: its initramfs carries QEMU. The
# smoke run sets BENCH_LINUX_RUNS=0: no Linux boots (linux_test boots
# Linux in make check; each boot costs minutes of Bochs).
qemu=${BENCH_QEMU:-0}
linux_runs=${BENCH_LINUX_RUNS:-${BENCH_RUNS:-3}}
if [ "$linux_runs" = 0 ]; then
	echo "1..9"
else
	echo "1..$((12 + qemu))"
fi
load_both_hypervisors

# The smoke run in make check: BENCH_RUNS=1 BENCH_LIFECYCLES=2
# BENCH_MEM_VMS=8 (KVM's VM teardown waits for RCU grace periods, which
# are slow with 2 CPUs in Bochs) BENCH_IDLE=0.2 (a second of the test
# machine's clock with a guest running costs about four minutes of Bochs
# on Linux 6.1).
reps=${BENCH_RUNS:-3}
lives=${BENCH_LIFECYCLES:-20}
mem_vms=${BENCH_MEM_VMS:-200}
idle_secs=${BENCH_IDLE:-1}
runs() { # ACCEL OUT: $reps runs, all "bench" lines in OUT
	: > "$2"
	for r in $(seq $reps); do
		vmm --accel "$1" /tests/bench64.img < /dev/null 2>&1 | grep '^bench ' >> "$2" ||
			return 1
	done
}
check "bench64.img runs $reps times on minivmm" 0 "" -- runs minivmm /tmp/bench.minivmm
# What the mitigations at the world switch cost (kmod/mitigations.c): the
# same runs with minivmm.mitigations=0, then the module as it was.
nomit() {
	rmmod minivmm && insmod /lib/modules/extra/minivmm.ko mitigations=0 || return 1
	cat /sys/kernel/debug/minivmm/mitigations
	runs minivmm /tmp/bench.nomit
	st=$?
	rmmod minivmm && insmod /lib/modules/extra/minivmm.ko || return 1
	return $st
}
check "bench64.img runs $reps times on minivmm with mitigations=0" 0 "^verw " -- nomit
check "bench64.img runs $reps times on KVM" 0 "" -- runs kvm /tmp/bench.kvm
# Exits per second of an idle guest with IF=1 (loop.img: sti; jmp .), over
# $idle_secs s of the test machine's time on each: the host's interrupts,
# and whatever else makes such a guest exit (issue 13's "exit storm").
idle() {
	vmm --stats /guests/loop.img < /dev/null > /tmp/idle.out 2>&1 &
	p=$!
	sleep "$idle_secs"
	kill -ALRM $p
	wait $p
	# KVM's debugfs counts are sums over the VMs alive: read them before
	# the VM goes (none other is alive).
	k0=$(cat /sys/kernel/debug/kvm/exits) || return 1
	vmm --accel kvm /guests/loop.img < /dev/null > /dev/null 2>&1 &
	p=$!
	sleep "$idle_secs"
	k1=$(cat /sys/kernel/debug/kvm/exits)
	for f in irq_exits halt_exits irq_window_exits; do
		echo "kvm $f $(cat /sys/kernel/debug/kvm/$f)"
	done >> /tmp/idle.out
	kill -ALRM $p
	wait $p
	m=$(awk '$1 == "stats" && $2 == "vcpu0" && $3 == "exits" { print $4 }' /tmp/idle.out)
	[ -n "$m" ] || return 1
	# Per second: "bench NAME N CYCLES" lines give CYCLES / N.
	awk -v m="$m" -v k="$((k1 - k0))" -v s="$idle_secs" 'BEGIN {
		printf "bench idle_exits 1 %d\n", m / s >> "/tmp/bench.minivmm"
		printf "bench idle_exits 1 %d\n", k / s >> "/tmp/bench.kvm" }'
	grep "exits\." /tmp/idle.out
}
check "an idle IF=1 guest for $idle_secs s on both" 0 "" -- idle
check "the compute loop runs natively $reps times" 0 "" -- \
	sh -c "for r in \$(seq $reps); do ./bench_native; done > /tmp/bench.native"
# VM lifecycles timed from the host, with 1 MiB, 64 MiB and 1 GiB slots.
lifecycles() {
	for accel in minivmm kvm; do
		for r in $(seq $reps); do
			for mib in 1 64 1024; do
				./bench_lifecycle $accel $lives $mib >> /tmp/bench.$accel || return 1
			done
		done
	done
}
check "VM lifecycles on both hypervisors" 0 "" -- lifecycles
mems() {
	{ ./bench_lifecycle minivmm mem $mem_vms && ./bench_lifecycle kvm mem $mem_vms; } > /tmp/bench.mem
	st=$?
	cat /tmp/bench.mem
	return $st
}
check "kernel memory per VM and per VCPU on both" 0 "bench-mem kvm vm" -- mems

# Where minivmm's exits spend their time: one more run with the module's
# exit-path profile on (debugfs minivmm/profile, kmod/profile.c). Every
# exit bench64 makes must be counted under its reason.
profile() {
	p=/sys/kernel/debug/minivmm/profile
	echo 1 > $p || return 1
	vmm /tests/bench64.img < /dev/null > /dev/null 2>&1
	st=$?
	echo 0 > $p
	cat $p > /tmp/bench.profile
	cat /tmp/bench.profile
	[ $st = 0 ] && awk '$1 == "io" && $2 >= 4000 { n++ } $1 == "ept_violation" && $2 >= 4000 { n++ }
		$1 == "cpuid" && $2 >= 20000 { n++ } $1 == "vmcall" && $2 >= 20000 { n++ }
		END { exit n != 4 }' /tmp/bench.profile
}
check "the exit-path profile counts every exit by reason" 0 "cpuid" -- profile

# The Linux boot: the test machine's kernel with vmm-run's busybox
# initramfs, whose command is guest_tsc: it prints the guest's TSC, which
# starts at 0 when the VM (minivmm) or VCPU (KVM) is created, just before
# vmm loads the kernel. So the guest's time from power-on to its first
# command (after /init's mounts), on its own clock: the TSC runs at the
# test machine's rate. Then vmm's whole run, launch to the guest's exit
# (the test machine's clock), and the exits by reason (vmm --stats: the
# module's counters, KVM's own). The peer of the whole run is QEMU with KVM,
# -M isapc without an APIC, booting the same files (its SeaBIOS included),
# if the bench initramfs carries it (make bench). BENCH_LINUX_RUNS boots each.
kver=$(uname -r)
# The TSC's rate: the module's MINIVMM_CAP_TSC_KHZ (dev_test checks it).
tsc_khz=$(vmm --info | awk '/TSC frequency \(kHz\)/ { print $NF }')
cmdline=$(vmm-run --initrd-out /tmp/linux.cpio --file ./guest_tsc:/bin/guest_tsc -- guest_tsc)
linux_boot() { # PEER RUN
	[ "${tsc_khz:-0}" -gt 0 ] && [ -n "$cmdline" ] || { echo "no TSC rate or no initramfs"; return 1; }
	t0=$(cut -d' ' -f1 /proc/uptime)
	case $1 in
	qemu)
		timeout -s KILL 1200 qemu-system-x86_64 -enable-kvm -M isapc -cpu host,-apic -m 256 \
			-nodefaults -display none -serial stdio -no-reboot \
			-device isa-debug-exit,iobase=0xf4,iosize=1 -kernel /boot/vmlinuz-$kver \
			-initrd /tmp/linux.cpio -append "$cmdline" < /dev/null > /tmp/linux.out 2> /tmp/linux.err
		# isa-debug-exit: the status byte v ends QEMU with 2v + 1.
		st=$(( $? == 1 ? 0 : 1 )) ;;
	minivmm-self)
		timeout -s KILL 1200 vmm --accel minivmm --no-unpack --stats --strict-exit \
			--kernel /boot/vmlinuz-$kver --initrd /tmp/linux.cpio --append "$cmdline" \
			< /dev/null > /tmp/linux.out 2> /tmp/linux.err
		st=$? ;;
	*)
		timeout -s KILL 1200 vmm --accel $1 --stats --strict-exit --kernel-cache /tmp/bench-kc \
			--kernel /boot/vmlinuz-$kver --initrd /tmp/linux.cpio --append "$cmdline" \
			< /dev/null > /tmp/linux.out 2> /tmp/linux.err
		st=$? ;;
	esac
	# The kernel: unpacked by vmm now (cold), from its cache (warm), or
	# decompressed by the guest (self: QEMU's way, and --no-unpack).
	how=self
	grep -q '^vmm: the kernel: unpacked' /tmp/linux.err && how=cold
	grep -q '^vmm: the kernel: from the cache' /tmp/linux.err && how=warm
	t1=$(cut -d' ' -f1 /proc/uptime)
	cat /tmp/linux.out /tmp/linux.err
	[ $st = 0 ] || return 1
	tsc=$(sed -n 's/^guest-tsc \([0-9]*\).*/\1/p' /tmp/linux.out | tr -d '\r')
	[ -n "$tsc" ] || return 1
	exits=$(awk '$1 == "stats" && ($3 == "exits" || $3 == "kvm.exits") { print $4 }' /tmp/linux.err)
	echo "bench-linux: $1 $2 $(awk -v t="$tsc" -v k="$tsc_khz" -v a="$t0" -v b="$t1" \
		'BEGIN { printf "%.1f %.0f", t / k, (b - a) * 1000 }') ${exits:-0} $how" >> /tmp/bench.linux
	grep -E '^stats vcpu0 (exits\.|kvm\.)' /tmp/linux.err | sed "s/^stats vcpu0 /bench-linux-exits: $1 /" > /tmp/bench.linux-exits.$1
}
# With 2 CPUs (the smoke run) CPU 1 goes offline meanwhile: Bochs runs the
# CPUs in turn, and an idle=poll one halves the guest's speed.
linux_boots() { # PEER
	cpu1=/sys/devices/system/cpu/cpu1/online
	[ -w $cpu1 ] && echo 0 > $cpu1
	ok=0
	for r in $(seq $linux_runs); do
		linux_boot $1 $r || { ok=1; break; }
	done
	[ -w $cpu1 ] && echo 1 > $cpu1
	return $ok
}
: > /tmp/bench.linux
rm -rf /tmp/bench-kc	# the first boot under minivmm finds no unpacked kernel
if [ "$linux_runs" != 0 ]; then
	check "Linux $kver boots $linux_runs times under minivmm to its first command" 0 "^guest-tsc " -- linux_boots minivmm
	check "... and with --no-unpack (the guest's own decompressor)" 0 "^guest-tsc " -- linux_boots minivmm-self
	check "... and under KVM (the same vmm, --accel kvm)" 0 "^guest-tsc " -- linux_boots kvm
	[ $qemu = 1 ] && check "... and under QEMU with KVM (-M isapc, no APIC)" 0 "^guest-tsc " -- linux_boots qemu
fi

# The fastest run of each benchmark, in cycles per operation.
best() { awk '{ c = $4 / $3; if (!($2 in m) || c < m[$2]) m[$2] = c } END { for (k in m) printf "%s %.1f\n", k, m[k] }' "$1"; }
best /tmp/bench.minivmm | sort > /tmp/best.minivmm
best /tmp/bench.kvm | sort > /tmp/best.kvm
best /tmp/bench.native | sort > /tmp/best.native
best /tmp/bench.nomit | sort > /tmp/best.nomit
report() {
	for name in pio_out pio_in mmio_write mmio_read cpuid vmcall compute \
		irq_uart hlt_wakeup idle_exits \
		lifecycle_1m lifecycle_64m lifecycle_1024m; do
		n=$(awk -v k=$name '$2 == k { print $3; exit }' /tmp/bench.minivmm)
		mv=$(awk -v k=$name '$1 == k { print $2 }' /tmp/best.minivmm)
		kv=$(awk -v k=$name '$1 == k { print $2 }' /tmp/best.kvm)
		nat=$(awk -v k=$name '$1 == k { print $2 }' /tmp/best.native)
		[ -n "$n" ] && [ -n "$mv" ] && [ -n "$kv" ] || { echo "missing: $name"; return 1; }
		echo "bench-csv: $name,$n,$mv,$kv,$(awk -v a="$mv" -v b="$kv" 'BEGIN { printf "%.3f", a / b }')${nat:+,$nat}"
	done
}
check "every benchmark has a result on both hypervisors" 0 "bench-csv: compute,1," -- report
report | sed 's/^/# /'
awk 'NR == FNR { off[$1] = $2; next } $1 in off { print $1, $2, off[$1] }' /tmp/best.nomit /tmp/best.minivmm |
	sed 's/^/# bench-mitigations: /'
sed 's/^/# bench-mitigation-state: /' /sys/kernel/debug/minivmm/mitigations
sed 's/^/# bench-idle: /' /tmp/idle.out
sed 's/^/# /' /tmp/bench.mem
sed 's/^/# bench-profile: /' /tmp/bench.profile
sed 's/^/# /' /tmp/bench.linux
cat /tmp/bench.linux-exits.* 2>/dev/null | sed 's/^/# /'
rmmod kvm_intel kvm irqbypass 2>/dev/null
[ $fail = 0 ]
