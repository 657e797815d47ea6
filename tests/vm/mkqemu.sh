#!/bin/sh
# The peer of make bench's Linux boot: QEMU with KVM, as a second initramfs
# archive that the kernel unpacks over the test machine's (Linux takes
# concatenated archives, Documentation/driver-api/early-userspace).
#
# usage: mkqemu.sh OUT.cpio.gz
#   qemu-system-x86_64 (Debian's qemu-system-x86) with the shared libraries
#   ldd finds for it on this host, SeaBIOS and the option ROMs -kernel uses.
set -eu

out=$1
qemu=$(command -v qemu-system-x86_64) || {
	echo "mkqemu: no qemu-system-x86_64 (install qemu-system-x86)" >&2
	exit 1
}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/usr/bin" "$root/usr/share/qemu" "$root/usr/share/seabios"
cp "$qemu" "$root/usr/bin/"
ldd "$qemu" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
# -M isapc boots SeaBIOS; -kernel loads through the linuxboot option ROM.
cp -L /usr/share/seabios/bios.bin "$root/usr/share/seabios/"
for f in linuxboot.bin linuxboot_dma.bin kvmvapic.bin; do
	cp -L "/usr/share/qemu/$f" "$root/usr/share/qemu/"
done
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -6 > "$out.tmp"
mv "$out.tmp" "$out"
