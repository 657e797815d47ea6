#!/bin/sh
# vmm --gdb with the real gdb in the test machine (TAP): a breakpoint, then
# registers, memory read and write, a single step, continue to the end;
# detach; kill. The target is /tests/debug64.img (guests/debug64.c): it
# exits with magic + 1, 7 alone, 42 after gdb sets magic to 41.
. ./tap.sh
echo "TAP version 13"
echo "1..7"
insmod /lib/modules/extra/minivmm.ko 2>/dev/null
ifconfig lo 127.0.0.1 up 2>/dev/null || ip link set lo up
img=/tests/debug64.img

# Start vmm --gdb PORT in the background and wait until it listens.
start_vmm() {
	port=$1
	vmm --gdb "$port" $img > /tmp/gdb.guest 2> /tmp/gdb.vmm &
	vmm_pid=$!
	i=0
	while ! grep -q "waiting for gdb" /tmp/gdb.vmm 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || return 1
		usleep 100000
	done
}

# gdb in batch mode against vmm; its output in /tmp/gdb.out.
run_gdb() {
	port=$1
	shift
	gdb -batch -nx -ex "set pagination off" -ex "set confirm off" \
		-ex "target remote 127.0.0.1:$port" "$@" $img > /tmp/gdb.out 2>&1
}

session() {
	start_vmm 1234 || return 1
	run_gdb 1234 -ex "break *guest_main" -ex "continue" \
		-ex 'printf "stopped at %#lx, guest_main %#lx\n", $pc, (long)&guest_main' \
		-ex 'printf "rdi %ld rsi %ld\n", $rdi, $rsi' \
		-ex 'x/s &banner' -ex 'print *(long *)&magic' -ex 'set var *(long *)&magic = 41' \
		-ex 'stepi' -ex 'printf "after stepi %#lx\n", $pc' \
		-ex "continue"
	wait $vmm_pid
	echo "vmm status $?"
	cat /tmp/gdb.out /tmp/gdb.vmm /tmp/gdb.guest
}
session > /tmp/gdb.session 2>&1
at() { grep -q -- "$1" /tmp/gdb.session; }
show() { cat /tmp/gdb.session; }
bp=$(sed -n 's/^stopped at \(0x[0-9a-f]*\), guest_main \(0x[0-9a-f]*\)$/\1 \2/p' /tmp/gdb.session)
bp_ok() {
	echo "breakpoint: stopped at, guest_main: $bp"
	at "Breakpoint 1," && [ -n "$bp" ] && [ "${bp% *}" = "${bp#* }" ] || { show; return 1; }
}
check "a breakpoint stops the guest at guest_main" 0 "" -- bp_ok
check "registers: RDI and RSI hold the VCPU index and count" 0 "rdi 0 rsi 1" -- show
check "memory read through the guest's page tables: the banner" 0 '"minivmm gdb target"' -- show
check "memory read: magic is 6" 0 "\$1 = 6" -- show
step_ok() {
	a=$(echo $bp | cut -d' ' -f1)
	b=$(sed -n 's/^after stepi \(0x[0-9a-f]*\)$/\1/p' /tmp/gdb.session)
	echo "breakpoint $a, after one step $b"
	[ -n "$b" ] && [ $((b)) -gt $((a)) ] && [ $((b)) -le $((a + 15)) ]
}
check "stepi runs one instruction" 0 "after one step 0x" -- step_ok
ended() { show; at "vmm status 42"; }
check "continue: the guest ends with the value gdb wrote (42), gdb sees it exit" 0 \
	"exited with code 052" -- ended

# Detach: the guest runs on alone (7); kill: vmm ends (73).
others() {
	start_vmm 1235 || return 1
	run_gdb 1235 -ex "break *guest_main" -ex "continue" -ex "detach"
	wait $vmm_pid
	st=$?
	cat /tmp/gdb.out
	echo "after detach: vmm status $st"
	[ $st = 7 ] || return 1
	start_vmm 1236 || return 1
	run_gdb 1236 -ex "kill"
	wait $vmm_pid
	st=$?
	cat /tmp/gdb.out /tmp/gdb.vmm
	echo "after kill: vmm status $st"
	[ $st = 73 ] && grep -q "killed by the debugger" /tmp/gdb.vmm
}
check "detach lets the guest finish (7); kill ends vmm (73)" 0 "after kill: vmm status 73" -- others
[ $fail = 0 ]
