#!/bin/sh
# The demo run in the test machine: load the module, run a guest.
set -e
echo "\$ insmod /lib/modules/extra/minivmm.ko"
insmod /lib/modules/extra/minivmm.ko
dmesg | grep 'minivmm: loaded' | sed 's/^\[[^]]*\] //'
echo "\$ vmm --info"
vmm --info
echo "\$ vmm /guests/hello64.img"
vmm /guests/hello64.img || echo "(vmm exited with status $?)"
echo "\$ vmm /guests/hello.img"
vmm /guests/hello.img
echo "(vmm exited with status $?)"
echo "\$ vmm --cpus 4 /guests/smp64.img"
vmm --cpus 4 /guests/smp64.img || echo "(vmm exited with status $?)"
