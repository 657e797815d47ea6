#!/bin/sh
# Install everything minivmm needs to build and test, from Debian packages by
# name, and prepare the cache outside the repository (MINIVMM_CACHE, default
# /var/cache/minivmm) with:
#   kernel-VERSION/   the test machine's kernel: the linux-image package,
#                     unpacked with dpkg -x (never installed on this host);
#   kselftest/        kselftest_harness.h and kselftest.h from linux-source;
#   checkpatch/       checkpatch.pl and its data files from linux-source.
# Idempotent: what is already there is left alone. Prints the kernel version.
# The kernel ABI number (the NN in linux-image-6.1.0-NN-amd64) changes with
# security updates, so it is resolved from linux-image-amd64, never hard-coded.
set -eu

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: run as root (apt-get install)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
stamp=/var/lib/apt/periodic/minivmm-update-stamp
if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +360 2>/dev/null)" ]; then
	apt-get update -q >&2
	mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi

kver=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: linux-image-\(6\.1\.[0-9.-]*-amd64\)$/\1/p' | head -n1)
if [ -z "$kver" ]; then
	echo "install-deps: cannot resolve the 6.1 kernel version from linux-image-amd64" >&2
	exit 1
fi

pkgs="make gcc libc6-dev binutils pkg-config check libcap-dev sparse perl
      linux-headers-$kver linux-source-6.1
      bochs bochsbios vgabios busybox-static
      isolinux syslinux-common xorriso cpio xz-utils kmod
      qemu-system-x86 gnuplot-nox"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing" >&2
	apt-get install -y -q --no-install-recommends $missing >&2
fi
cache=${MINIVMM_CACHE:-/var/cache/minivmm}
mkdir -p "$cache"

if [ ! -r "$cache/kernel-$kver/boot/vmlinuz-$kver" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q "linux-image-$kver") >&2
	rm -rf "$cache/kernel-$kver.tmp"
	dpkg -x "$tmp"/linux-image-"$kver"_*.deb "$cache/kernel-$kver.tmp"
	mv "$cache/kernel-$kver.tmp" "$cache/kernel-$kver"
	rm -rf "$tmp"
fi

src=/usr/src/linux-source-6.1.tar.xz
if [ ! -r "$cache/kselftest/kselftest_harness.h" ] ||
   [ ! -r "$cache/checkpatch/checkpatch.pl" ] ||
   [ "$src" -nt "$cache/kselftest/kselftest_harness.h" ]; then
	tmp=$(mktemp -d)
	tar -xJf "$src" -C "$tmp" --wildcards \
		'linux-source-6.1/tools/testing/selftests/kselftest_harness.h' \
		'linux-source-6.1/tools/testing/selftests/kselftest.h' \
		'linux-source-6.1/scripts/checkpatch.pl' \
		'linux-source-6.1/scripts/spelling.txt' \
		'linux-source-6.1/scripts/const_structs.checkpatch'
	mkdir -p "$cache/kselftest" "$cache/checkpatch"
	cp "$tmp"/linux-source-6.1/tools/testing/selftests/kselftest*.h "$cache/kselftest/"
	cp "$tmp"/linux-source-6.1/scripts/checkpatch.pl \
	   "$tmp"/linux-source-6.1/scripts/spelling.txt \
	   "$tmp"/linux-source-6.1/scripts/const_structs.checkpatch "$cache/checkpatch/"
	touch "$cache/kselftest/kselftest_harness.h"
	rm -rf "$tmp"
fi

echo "$kver"
