#!/bin/sh
# vmm end to end in the test machine (TAP): each guest's output and exit
# status, and vmm's one-line errors.
. ./tap.sh
echo "TAP version 13"
echo "1..32"
insmod /lib/modules/extra/minivmm.ko 2>/dev/null
check "hello.img prints its line and exits 0" 0 \
	"^Hello from a real-mode guest running under minivmm!$" -- vmm /guests/hello.img
check "triple.img is a triple fault (status 70)" 70 \
	"guest triple fault (shutdown) at RIP" -- vmm /guests/triple.img
# Guest seconds are slow in the test machine: signal after 0.1 s.
stop_after() { sig=$1; shift; "$@" & p=$!; usleep 100000; kill -$sig $p; wait $p; }
check "loop.img stops on SIGTERM (status 73)" 73 \
	"stopped by signal 15" -- stop_after TERM vmm /guests/loop.img
check "loop.img stops on SIGALRM (status 73)" 73 \
	"stopped by signal 14" -- stop_after ALRM vmm /guests/loop.img
check "mmio.img reaches vmm through MMIO exits (status 42)" 42 \
	"MMIO: a write and a read of 0xa0000 went to vmm" -- vmm /guests/mmio.img
check "pm32.img runs in 32-bit protected mode (status 32)" 32 \
	"^Hello from a 32-bit protected-mode ELF guest!$" -- vmm /guests/pm32.img
check "hello64.img prints through the UART (status 86)" 86 \
	"^Hello from a 64-bit C guest, through the UART!$" -- vmm /guests/hello64.img
check "hello64.img computes" 86 \
	"fib(20) = 0x0000000000001a6d" -- vmm /guests/hello64.img
check "hello64.img finds minivmm in CPUID and prints through the console hypercall" 86 \
	"hypercall 1 (0x[0-9a-f]*, 0x32)" -- vmm --trace /guests/hello64.img
# The PC's interrupt path (issue 13): PIC, PIT and RTC, HLT that sleeps.
# One timer.img run, checked twice: the guest's own verdict, and the clock.
t0=$(cut -d' ' -f1 /proc/uptime)
timeout -s KILL 900 vmm /guests/timer.img > /tmp/timer.out 2>&1
echo $? > /tmp/timer.st
t1=$(cut -d' ' -f1 /proc/uptime)
check "timer.img takes 25 PIT ticks (IRQ 0) with HLT between them and 5 more spinning (vmm kicks it), and 256 Hz RTC ticks (IRQ 8, the slave PIC) meanwhile, evenly (status 80)" 80 \
	"^timer: 30 PIT ticks at 100 Hz, 72 to 82 RTC ticks at 256 Hz meanwhile, evenly spaced$" -- \
	sh -c "cat /tmp/timer.out; exit \$(cat /tmp/timer.st)"
# /proc/uptime counts hundredths: 0.3 s can read as 0.29.
check "... and its 30 ticks at 100 Hz took 0.3 s of the host's time (0.29 to 1.5 s: $t0 to $t1)" 0 "" -- \
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 0.29 && b - a <= 1.5) }'
check "rtc.img reads today's date from the CMOS clock" 0 \
	"^rtc: $(date -u +%Y-%m-%d) " -- vmm /guests/rtc.img
check "reset.img resets through the i8042: vmm ends with status 0 and says why" 0 \
	"^vmm: the guest reset the machine: the keyboard controller's reset line" -- vmm /guests/reset.img
# --strict-exit (vmm-run's): a reset or a final halt is no success.
check "reset.img under --strict-exit: status 75, the reset named" 75 \
	"the keyboard controller's reset line (i8042 command 0xfe), without writing its status (--strict-exit)" -- \
	vmm --strict-exit /guests/reset.img
check "halt.img under --strict-exit: status 75" 75 \
	"^vmm: the guest halted for good without writing its status (--strict-exit)$" -- \
	vmm --strict-exit /guests/halt.img
# --reboot: each reset powers on a fresh VM (reset.img resets at once, over
# and over, until SIGTERM ends it after its third boot); every VM is freed
# (dmesg_test, the unload).
vmm --reboot /guests/reset.img > /tmp/reboot.out 2>&1 &
p=$! i=0
while [ $i -lt 600 ] && ! grep -q "^vmm: boot 3$" /tmp/reboot.out; do
	usleep 50000
	i=$((i + 1))
done
kill -TERM $p
wait $p
echo $? > /tmp/reboot.st
rebooted="cat /tmp/reboot.out; exit \$(cat /tmp/reboot.st)"
check "reset.img under --reboot boots again and again, until SIGTERM (status 73)" 73 \
	"^vmm: boot 3$" -- sh -c "$rebooted"
check "... each boot says why it ended" 73 \
	"the keyboard controller's reset line (i8042 command 0xfe); starting it again (--reboot)" -- sh -c "$rebooted"
check "echo.img echoes piped input from the UART's receive interrupt" 0 \
	"^hello, interrupts$" -- sh -c "printf 'hello, interrupts\\nq' | vmm /guests/echo.img"
check "echo.img with nothing typed and stdin closed, asleep in HLT: stopped by SIGALRM (status 73)" 73 \
	"stopped by signal" -- stop_after ALRM vmm /guests/echo.img
check "halt.img halts with IF=0: nothing can wake it, status 0" 0 "" -- vmm /guests/halt.img
check "... and says nothing about it on stderr" 0 "^$" -- sh -c "vmm /guests/halt.img 2>&1"
check "--cpus 9 is a usage error" 64 "give a number from 1 to 8" -- vmm --cpus 9 /guests/hello.img
check "a missing image is a clear error (status 67)" 67 \
	"/nonexistent.img: No such file or directory" -- vmm /nonexistent.img
dd if=/dev/zero of=/tmp/big.img bs=1024 count=64 2>/dev/null
check "an image larger than memory is a clear error (status 67)" 67 \
	"does not fit in 65536 bytes of guest memory" -- vmm --mem 64K /tmp/big.img
check "an MMIO access by an instruction minivmm does not emulate is named, with its RIP (status 72)" 72 \
	"^vmm: internal error: the guest's instruction at RIP 0x7c06, incb %es:0x10 (26 fe 06 10 00), accesses MMIO at 0xa0010" \
	-- vmm /tests/badmmio.img
check "... and only that line: nothing else on stderr" 1 "" -- sh -c "vmm /tests/badmmio.img 2>&1 | grep -v '^vmm: internal error: the guest' | grep ."
check "--trace shows each exit" 0 "OUT port 0x3f8 size 1 data 0x48" -- vmm --trace /guests/hello.img
check "the trace names the exit port" 0 "OUT port 0xf4: guest exit value 0" -- vmm --trace /guests/hello.img
# Each traced exit names the instruction at its RIP (hello.S: IN at 0x7c17,
# OUT at 0x7c21) and what vmm did with it.
check "--trace decodes the OUT at its RIP and shows the character printed" 0 \
	"exit [0-9]* at 0x7c21 (out %al,(%dx)): OUT port 0x3f8 size 1 data 0x48: the UART prints 'H'" -- \
	vmm --trace /guests/hello.img
check "--trace decodes the IN that polls the line status" 0 \
	"exit [0-9]* at 0x7c17 (in (%dx),%al): IN port 0x3fd size 1 data 0x" -- vmm --trace /guests/hello.img
# --stats: the kernel's counters agree with what vmm traced. hello.img only
# uses ports, so every exit to userspace is one traced IN or OUT.
stats_agree() {
	vmm --stats --trace /guests/hello.img > /dev/null 2> /tmp/stats.err || return 1
	outs=$(grep -cE '(IN|OUT) port' /tmp/stats.err)
	grep '^stats' /tmp/stats.err
	echo "traced INs and OUTs: $outs"
	awk -v outs="$outs" '$1 == "stats" { v[$2 " " $3] = $4 }
		END { exit !(outs > 10 && v["vcpu0 runs"] == outs &&
			v["vcpu0 userspace_exits"] == outs &&
			v["vcpu0 exits_seen_by_vmm"] == outs &&
			v["vcpu0 exits.io"] == outs && v["vcpu0 exits"] >= outs &&
			v["vcpu0 failed_entries"] == 0 && v["vm mapped_pages"] >= 1 &&
			v["vcpu0 ept_faults_in"] == v["vm mapped_pages"]) }' /tmp/stats.err
}
check "--stats: runs, exits by reason and mapped pages agree with the trace" 0 \
	"stats vcpu0 exits.io" -- stats_agree
kvm_stats() {
	load_both_hypervisors
	vmm --accel kvm --stats /guests/hello.img 2> /tmp/kvmstats.err > /dev/null
	st=$?
	rmmod kvm_intel kvm irqbypass 2>/dev/null
	cat /tmp/kvmstats.err
	# hello.img's exits to vmm are all port I/O: KVM counts each.
	[ $st = 0 ] && awk '$1 == "stats" { v[$3] = $4 }
		END { exit !(v["exits_seen_by_vmm"] > 10 && v["kvm.io_exits"] == v["exits_seen_by_vmm"] &&
			v["kvm.exits"] >= v["kvm.io_exits"]) }' /tmp/kvmstats.err
}
check "--stats on KVM prints KVM's own counters (KVM_GET_STATS_FD): its I/O exits are vmm's" 0 \
	"stats vcpu0 kvm.io_exits " -- kvm_stats
[ $fail = 0 ]
