#!/bin/sh
# Build the test machine's initramfs (a gzip'd cpio archive).
#
# usage: mkinitramfs.sh OUT.cpio.gz KERNEL_MODULES_DIR SUITE_DIR [GDB]
#   KERNEL_MODULES_DIR  lib/modules/VERSION of the unpacked linux-image package
#   SUITE_DIR           a staging folder whose contents are copied to / (the
#                       minivmm module, vmm, guests, test binaries, lists)
#   GDB                 a dynamically linked gdb (gdb-minimal, unpacked by
#                       install-deps): copied to /usr/bin/gdb with the
#                       shared libraries ldd finds for it on this host
set -eu

out=$1 kmods=$2 suite=$3 gdb=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
	"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/root" \
	"$root/lib/modules/extra"
cp /bin/busybox "$root/bin/busybox"
if ! "$root/bin/busybox" true 2>/dev/null || ldd "$root/bin/busybox" >/dev/null 2>&1; then
	echo "mkinitramfs: /bin/busybox is not a static binary (install busybox-static)" >&2
	exit 1
fi
cp "$here/init" "$root/init"
chmod 755 "$root/init"

# Linux KVM and the MSR driver from the same kernel package: KVM is the peer
# hypervisor of the coexistence tests, msr lets tests read VMX capabilities.
# Debian's 6.1 ships them as .ko, 6.12 as .ko.xz: they go in as plain .ko.
for m in arch/x86/kvm/kvm arch/x86/kvm/kvm-intel virt/lib/irqbypass \
	 arch/x86/kernel/msr; do
	dst=$root/lib/modules/extra/$(basename "$m").ko
	if [ -r "$kmods/kernel/$m.ko" ]; then
		cp "$kmods/kernel/$m.ko" "$dst"
	elif [ -r "$kmods/kernel/$m.ko.xz" ]; then
		xz -dc "$kmods/kernel/$m.ko.xz" > "$dst"
	else
		echo "mkinitramfs: no $m.ko or $m.ko.xz in $kmods/kernel" >&2
		exit 1
	fi
done

cp -a "$suite/." "$root/"

if [ -n "$gdb" ]; then
	cp "$gdb" "$root/usr/bin/gdb"
	ldd "$gdb" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || {
		echo "mkinitramfs: no dynamic loader copied for $gdb" >&2
		exit 1
	}
fi

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -6 > "$out.tmp"
mv "$out.tmp" "$out"
