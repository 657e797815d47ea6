#!/bin/sh
# The demo run in the test machine: load the module, ask it what it offers.
set -e
echo "\$ insmod /lib/modules/extra/minivmm.ko"
insmod /lib/modules/extra/minivmm.ko
dmesg | grep 'minivmm: loaded' | sed 's/^\[[^]]*\] //'
echo "\$ ls -l /dev/minivmm"
ls -l /dev/minivmm
echo "\$ vmm --info"
vmm --info
