#!/bin/sh
# minivmm's tracepoints in the test machine (TAP): tracefs shows every VM
# entry, every exit with its reason, RIP and qualification, and every
# return to userspace, and they agree with vmm's --stats and --trace.
. ./tap.sh
echo "TAP version 13"
echo "1..5"
insmod /lib/modules/extra/minivmm.ko 2>/dev/null
t=/sys/kernel/tracing
[ -e $t/trace ] || mount -t tracefs tracefs $t

check "the module registers its events in tracefs" 0 "minivmm_exit" -- \
	ls $t/events/minivmm

traced_run() {
	echo 0 > $t/tracing_on && echo > $t/trace &&
		echo 1 > $t/events/minivmm/enable && echo 1 > $t/tracing_on || return 1
	vmm --stats --trace /guests/hello.img > /dev/null 2> /tmp/tr.vmm
	st=$?
	echo 0 > $t/tracing_on
	echo 0 > $t/events/minivmm/enable
	grep -v '^#' $t/trace > /tmp/tr.events
	return $st
}
check "hello.img runs with every minivmm event on" 0 "" -- traced_run

# One minivmm_userspace_exit per exit vmm saw; every IN and OUT is an I/O
# exit (reason 30), and each exit follows one entry.
agree() {
	outs=$(grep -cE '(IN|OUT) port' /tmp/tr.vmm)
	ue=$(grep -c 'minivmm_userspace_exit: vcpu 0 exit 1 io' /tmp/tr.events)
	io=$(grep -c 'minivmm_exit: vcpu 0 reason 30 io rip 0x' /tmp/tr.events)
	ex=$(grep -c 'minivmm_exit:' /tmp/tr.events)
	en=$(grep -c 'minivmm_entry: vcpu 0 rip 0x' /tmp/tr.events)
	stat_ex=$(awk '$1 == "stats" && $2 == "vcpu0" && $3 == "exits" { print $4 }' /tmp/tr.vmm)
	echo "INs and OUTs traced by vmm $outs, userspace exits $ue, I/O exits $io, exits $ex (stats: $stat_ex), entries $en"
	[ "$outs" -gt 10 ] && [ "$ue" = "$outs" ] && [ "$io" = "$outs" ] &&
		[ "$ex" = "$stat_ex" ] && [ "$en" = "$ex" ]
}
check "events agree with vmm's trace and counters" 0 "INs and OUTs traced by vmm" -- agree

# The I/O exit's qualification (SDM 27.2.1, Table 27-5): port in bits
# 31:16, direction in bit 3 (0: OUT), size - 1 in bits 2:0.
qual() {
	grep 'reason 30 io' /tmp/tr.events | head -3
	grep 'reason 30 io' /tmp/tr.events | grep -q 'qualification 0x3f80000$'
}
check "an OUT to the UART shows port 0x3f8, OUT, 1 byte in its qualification" 0 \
	"minivmm_exit" -- qual

# Off again: a run adds no event.
quiet() {
	echo > $t/trace && echo 1 > $t/tracing_on &&
		vmm /guests/hello.img > /dev/null || return 1
	n=$(grep -c minivmm_ $t/trace)
	echo 0 > $t/tracing_on
	echo "events with tracing off: $n"
	[ "$n" = 0 ]
}
check "with the events off, a run leaves no trace" 0 "events with tracing off: 0" -- quiet
[ $fail = 0 ]
