#!/bin/sh
# Privileges and permissions (TAP): the udev rule's group can use
# /dev/minivmm without root, others cannot; vmm runs the guest with no
# capability at all and with no_new_privs set.
. ./tap.sh
echo "TAP version 13"
echo "1..6"
insmod /lib/modules/extra/minivmm.ko 2>/dev/null

# What the repo's rule asks udev for (there is no udev in the test
# machine: this applies the rule's GROUP and MODE as udev would).
rule=/tests/99-minivmm.rules
group=$(sed -n 's/.*GROUP="\([^"]*\)".*/\1/p' $rule)
mode=$(sed -n 's/.*MODE="\([0-9]*\)".*/\1/p' $rule)
gid=990
mkdir -p /etc
grep -q "^$group:" /etc/group 2>/dev/null || echo "$group:x:$gid:" >> /etc/group
chgrp "$group" /dev/minivmm && chmod "$mode" /dev/minivmm
check "the rule gives /dev/minivmm to group $group, mode $mode" 0 "^$gid ${mode#0}$" -- \
	stat -c '%g %a' /dev/minivmm
check "a member of $group runs a guest without root" 0 \
	"^Hello from a real-mode guest running under minivmm!$" -- \
	./runas 1000 $gid vmm /guests/hello.img
check "a user outside $group is refused with a clear message (status 65)" 65 \
	"permission denied: run as root, or join the minivmm group" -- \
	./runas 1001 1001 vmm /guests/hello.img
chgrp 0 /dev/minivmm && chmod 0600 /dev/minivmm

# Every thread of a running vmm (main, two VCPUs, the event thread): no
# capability, no_new_privs.
vmm --cpus 2 /guests/loop.img > /tmp/perm.out 2>&1 &
p=$!
i=0
while [ "$(ls /proc/$p/task 2>/dev/null | wc -l)" -lt 4 ] && [ $i -lt 100 ]; do
	usleep 10000
	i=$((i + 1))
done
caps() {
	all=$(cat /proc/$p/task/*/status)
	echo "tasks $(ls /proc/$p/task | wc -l)," \
		"capability sets $(echo "$all" | grep -c '^Cap')," \
		"non-empty $(echo "$all" | grep '^Cap' | grep -vc '0000000000000000$')," \
		"no_new_privs $(echo "$all" | grep -c '^NoNewPrivs:.1$')"
}
check "while the guest runs, all 5 capability sets of each vmm thread are empty" 0 \
	"tasks 4, capability sets 20, non-empty 0," -- caps
check "... and every thread has no_new_privs" 0 "tasks 4, .* no_new_privs 4$" -- caps
kill -TERM $p
wait $p
st=$?
check "the guest is then stopped by SIGTERM (status 73)" 0 "status 73" -- echo "status $st"
[ $fail = 0 ]
