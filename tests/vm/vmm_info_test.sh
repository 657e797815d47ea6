#!/bin/sh
# vmm end to end in the test machine (TAP): --info, and its one-line errors.
n=0 fail=0
check() { # DESCRIPTION EXPECTED-STATUS PATTERN -- COMMAND...
	desc=$1 want=$2 pat=$3
	shift 4
	n=$((n + 1))
	out=$("$@" 2>&1)
	st=$?
	if [ "$st" = "$want" ] && echo "$out" | grep -q -- "$pat"; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		echo "# status $st (want $want), output:"
		echo "$out" | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
}
echo "TAP version 13"
echo "1..5"
rmmod minivmm 2>/dev/null
check "vmm without the module says how to load it" 65 "load the module first (sudo insmod kmod/minivmm.ko)" -- vmm --info
insmod /lib/modules/extra/minivmm.ko
check "vmm --info reports API version 1" 0 "minivmm API version 1" -- vmm --info
check "vmm --info creates a VM" 0 "VM creation: works" -- vmm --info
check "vmm with a bad option is a usage error" 64 "unknown option --bogus" -- vmm --bogus
check "vmm with a bad --mem is a usage error" 64 "multiple of 4 KiB" -- vmm --mem 12345 x.img
[ $fail = 0 ]
