#!/bin/sh
# Linux under vmm (TAP): the test machine's own Debian kernel boots as the
# guest, with the busybox initramfs vmm-run builds, under minivmm and under
# KVM (the same vmm, --accel kvm).
#   - a shell on the guest's console takes commands from vmm's stdin; the
#     transcript shows the kernel's version, the PC it found (8259A, no
#     APIC), the timer and the UART interrupting, the CMOS clock's date, a
#     file carried in; no splat in the guest's dmesg; the shell's exit
#     status comes back;
#   - the two transcripts are the same once normalized (below: what must
#     differ, and why);
#   - vmm-run and vmm --kernel: clear errors for a missing kernel, an image
#     that is not one, too little memory, an initrd that does not fit.
#   - vmm unpacks the kernel on the host and keeps it in a cache, which the
#     second boot uses; with --no-unpack the kernel's own decompressor runs;
#   - the ends: poweroff -f (vmm: 0), a panic with panic=-1 (vmm-run: 75).
# A boot costs two to six minutes of Bochs: four here, and demo.sh boots
# one more (`vmm-run -- '...; true'`: status 0 through the exit port).
. ./tap.sh
echo "TAP version 13"
echo "1..27"
load_both_hypervisors
kver=$(uname -r)
echo "a file from the host" > /tmp/carried.txt

# What a user types; the shell's exit status is the run's.
cmds='uname -r
cat carried.txt
cat /proc/interrupts
date -u +%s
dmesg
exit 7
'
# The commands go in once the shell is there, as a user types them: bytes
# sent before Linux's 8250 driver has started are lost (its start-up reads
# the receiver "for luck" after enabling its interrupt).
# A boot that hangs is killed after 480 s (a boot takes 100 to 250 s), so
# that the test ends inside the suite's 900 s per test with its results.
boot() { # ACCEL: transcript in /tmp/linux.ACCEL, status in /tmp/linux.ACCEL.st
	t0=$(cut -d' ' -f1 /proc/uptime)
	rm -f /tmp/linux.in && mkfifo /tmp/linux.in
	timeout -s KILL 480 vmm-run --accel "$1" --stats --kernel-cache /tmp/kc --append nokaslr \
		--file /tmp/carried.txt -- sh \
		< /tmp/linux.in > /tmp/linux.$1 2> /tmp/linux.$1.err &
	p=$!
	exec 3> /tmp/linux.in
	while kill -0 $p 2>/dev/null && ! grep -q "built-in shell" /tmp/linux.$1; do
		usleep 50000
	done
	printf '%s' "$cmds" >&3
	exec 3>&-
	wait $p
	echo $? > /tmp/linux.$1.st
	t1=$(cut -d' ' -f1 /proc/uptime)
	date -u +%s > /tmp/linux.$1.now
	echo "# $1: $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s of the test machine's clock;" \
		"$(grep -E '^stats vcpu0 (exits|exits_seen_by_vmm) ' /tmp/linux.$1.err | tr '\n' ' ')"
}
# Bochs runs the test machine's CPUs in turn, and one spinning in the idle
# loop (idle=poll) halves the guest's speed: the boots run with CPU 1
# offline, as a one-CPU machine. Both hypervisors keep VMX on it correctly
# across the change (hotplug_test).
cpu1=/sys/devices/system/cpu/cpu1/online
[ -w $cpu1 ] && echo 0 > $cpu1
rm -rf /tmp/kc
boot minivmm
boot kvm
# The bzImage as a boot loader leaves it: the kernel's own decompressor runs
# in the guest (vmm unpacked it on the host for the two boots above).
# It ends with poweroff -f, under vmm itself (vmm-run's --strict-exit would
# turn a guest that halts without its status into 75): a PC without ACPI
# cannot power off, so Linux halts with interrupts off ("reboot: System
# halted", 6.12: "Power off not available: System halted instead"), and
# vmm ends with 0.
t0=$(cut -d' ' -f1 /proc/uptime)
cl=$(vmm-run --initrd-out /tmp/self.cpio -- 'echo decompressed by the guest; poweroff -f')
timeout -s KILL 480 vmm --no-unpack --stats --kernel /boot/vmlinuz-$kver --initrd /tmp/self.cpio \
	--append "$cl" > /tmp/linux.self 2> /tmp/linux.self.err < /dev/null
echo $? > /tmp/linux.self.st
echo "# --no-unpack: $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { print b - a }') s"
# A panic, with vmm-run's panic=-1: the kernel resets the PC through the
# keyboard controller at once, and vmm-run ends with 75, the guest having
# reported no status.
timeout -s KILL 480 vmm-run --kernel-cache /tmp/kc -- 'echo c > /proc/sysrq-trigger' \
	> /tmp/linux.panic 2> /tmp/linux.panic.err
echo $? > /tmp/linux.panic.st
[ -w $cpu1 ] && echo 1 > $cpu1

for accel in minivmm kvm; do
	t=/tmp/linux.$accel
	show="cat $t $t.err; exit \$(cat $t.st)"
	check "$accel: Linux $kver boots to a shell, which exits 7" 7 "" -- sh -c "$show"
	check "$accel: uname -r is the kernel's version" 7 "^$kver\$" -- sh -c "$show"
	check "$accel: a file carried in by vmm-run --file" 0 "^a file from the host\$" -- cat $t
	check "$accel: a PC with an 8259A and no APIC" 0 "APIC: Keep in PIC mode(8259)" -- cat $t
	# /proc/interrupts: "  0:        123    XT-PIC      timer"
	check "$accel: the timer ticks on IRQ 0 through the 8259A" 0 "" -- \
		awk '$1 == "0:" && $2 > 0 && $3 == "XT-PIC" && $4 == "timer" { f = 1 } END { exit !f }' $t
	check "$accel: ttyS0 interrupts on IRQ 4" 0 "" -- \
		awk '$1 == "4:" && $2 > 0 && $3 == "XT-PIC" && $4 == "ttyS0" { f = 1 } END { exit !f }' $t
	# date -u +%s in the guest, from the CMOS clock vmm keeps on the host's.
	check "$accel: the guest's clock is the host's, within a minute" 0 "" -- \
		awk -v now="$(cat $t.now)" '/^[0-9]{10}$/ { d = now - $1; if (d < 0) d = -d; if (d <= 60) f = 1 }
			END { exit !f }' $t
	# The splats of tests/lib/splat.c. Not one: "RETBleed: WARNING: Spectre
	# v2 mitigation leaves CPU vulnerable", the kernel's verdict on a CPU
	# without speculation controls (the PC's CPUID offers none).
	check "$accel: no WARNING, BUG, Oops or Call Trace in the guest's dmesg" 1 "" -- \
		grep -E "WARNING: CPU:|WARNING: possible|WARNING: suspicious|BUG:|kernel BUG at|Oops:|general protection fault|Kernel panic|INFO: task |rcu: INFO:|UBSAN:|KASAN:|list_(add|del) corruption|Call Trace:|cut here" $t
done

# The two boots run with nokaslr: with KASLR the kernel lands at a random
# physical address, and the page tables that map it take a page more or
# less, so "Memory: ... reserved" differed by 4 KiB from boot to boot.
# The transcripts, normalized: the lines the terminal echoed as the commands
# arrived (when depends on how fast the guest reads), dmesg timestamps,
# interrupt counts, the date. The processor's and the TSC's frequencies
# come from CPUID leaves 0x16 and 0x15, the same under both: they stay in.
# (Without 0x16 the kernel timed the processor against the PIT, whose
# result, and whether its quick try succeeded, depended on the emulator's
# pace.) What must differ between the hypervisors:
#   - the RTC driver's wall-clock time, and sched_clock's nanoseconds at
#     the moment it is marked stable;
#   - the audit subsystem's first line, and the initramfs unpacker's "Trying
#     to unpack rootfs" and "Freeing initrd memory": other threads print
#     them (kauditd, the unpacker), at a time and so in a place in the log
#     that depends on scheduling (dropped).
# vmm unpacked the kernel on the host for the first boot and kept it in the
# cache; the second found it there.
check "minivmm: vmm unpacked the kernel on the host and stored it in --kernel-cache" 0 \
	"^vmm: the kernel: unpacked (\(xz\|zstd\)), stored in /tmp/kc/vmlinux-" -- cat /tmp/linux.minivmm.err
check "kvm: the next boot of the same kernel took it from the cache" 0 \
	"^vmm: the kernel: from the cache, /tmp/kc/vmlinux-" -- cat /tmp/linux.kvm.err
check "--no-unpack: the kernel decompresses itself and boots; poweroff -f halts it, and vmm ends with 0" 0 \
	"reboot: .*System halted" -- sh -c 'cat /tmp/linux.self /tmp/linux.self.err
		grep -q "^decompressed by the guest" /tmp/linux.self || exit 98
		grep "the kernel:" /tmp/linux.self.err && exit 99; exit $(cat /tmp/linux.self.st)'
check "a panic (sysrq c) with panic=-1 resets the PC, and vmm-run ends with 75" 75 \
	"^vmm: the guest reset the machine: the keyboard controller's reset line" -- \
	sh -c 'cat /tmp/linux.panic /tmp/linux.panic.err
		grep -q "Kernel panic - not syncing: sysrq triggered crash" /tmp/linux.panic || exit 98
		exit $(cat /tmp/linux.panic.st)'
rm -rf /tmp/kc /tmp/self.cpio

norm() {
	printf '%s' "$cmds" > /tmp/linux.cmds
	tr -d '\r' < "$1" | grep -v -x -F -f /tmp/linux.cmds | sed -E -e 's/^\[ *[0-9]+\.[0-9]+\] //' \
		-e 's/^( *[A-Z0-9]+:) +[0-9]+ /\1 N /' -e 's/^[0-9]{10}$/DATE/' \
		-e '/^audit: type=2000 audit\(/d' -e '/^Freeing initrd memory: /d' \
		-e '/^Trying to unpack rootfs image as initramfs/d' \
		-e 's/^(rtc_cmos rtc_cmos: setting system clock to ).*/\1T/' \
		-e 's/^(sched_clock: Marking stable ).*/\1T/'
}
norm /tmp/linux.minivmm > /tmp/linux.minivmm.n
norm /tmp/linux.kvm > /tmp/linux.kvm.n
check "the transcripts under minivmm and KVM are the same, normalized" 0 "" -- \
	diff -u /tmp/linux.kvm.n /tmp/linux.minivmm.n

initrd_out() {
	cl=$(vmm-run --initrd-out /tmp/out.cpio --file /tmp/carried.txt:/etc/c.txt -- true) || return 1
	echo "$cl: $(busybox cpio -t < /tmp/out.cpio 2> /dev/null | tr '\n' ' ')"
}
check "vmm-run --initrd-out writes the newc archive (init, busybox, the files) and prints the command line" 0 \
	"^console=ttyS0 panic=-1 .*: .*bin/busybox .* init run.sh .*etc/c.txt " -- initrd_out
check "vmm-run --initrd-out: a file that cannot take the archive is a clear error (status 67)" 67 \
	"^vmm-run: --initrd-out /dev/full: No space left on device$" -- vmm-run --initrd-out /dev/full -- true
check "vmm-run: a missing kernel is a clear error (status 67)" 67 \
	"vmm-run: /nonexistent: No such file or directory" -- vmm-run --kernel /nonexistent -- true
check "vmm-run: an image that is not a kernel is a clear error (status 67)" 67 \
	"not a Linux kernel image (bzImage)" -- vmm-run --kernel /guests/hello.img -- true
check "vmm --kernel: too little memory for the kernel is a clear error (status 67)" 67 \
	"the kernel needs [0-9]* MiB of guest memory to decompress itself, more than 32 MiB" -- \
	vmm --mem 32M --kernel /boot/vmlinuz-$kver
# Debian's kernels need 16 MiB + 55 to 63 MiB: no room for 20 MiB more in 90.
dd if=/dev/zero of=/tmp/big.initrd bs=1M count=20 2>/dev/null
check "vmm --kernel: an initrd that does not fit is a clear error (status 67)" 67 \
	"the initrd (20971520 bytes) does not fit" -- vmm --mem 90M --kernel /boot/vmlinuz-$kver \
	--initrd /tmp/big.initrd
rm -f /tmp/big.initrd
[ $fail = 0 ]
