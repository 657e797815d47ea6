#!/bin/sh
# vmm end to end in the test machine (TAP): --info, and its one-line errors.
. ./tap.sh
echo "TAP version 13"
echo "1..7"
rmmod minivmm 2>/dev/null
check "vmm without the module says how to load it" 65 "load the module first (sudo insmod kmod/minivmm.ko)" -- vmm --info
insmod /lib/modules/extra/minivmm.ko
check "vmm --info reports API version 1" 0 "minivmm API version 1" -- vmm --info
check "vmm --info creates a VM" 0 "VM creation: works" -- vmm --info
# One version, written once (VERSION): vmm's and the module's (modinfo).
check "vmm --version is the module's version (/sys/module/minivmm/version)" 0 \
	"^vmm (minivmm) $(cat /sys/module/minivmm/version), for the minivmm API version 1$" -- vmm --version
check "vmm-run --version too" 0 "^vmm-run (minivmm) $(cat /sys/module/minivmm/version)$" -- vmm-run --version
check "vmm with a bad option is a usage error" 64 "unknown option --bogus" -- vmm --bogus
check "vmm with a bad --mem is a usage error" 64 "multiple of 4 KiB" -- vmm --mem 12345 x.img
[ $fail = 0 ]
