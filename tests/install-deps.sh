#!/bin/sh
# Install everything minivmm needs to build and test, from Debian packages by
# name, and prepare the cache outside the repository (MINIVMM_CACHE, default
# /var/cache/minivmm) with:
#   kernel-VERSION/   a test-machine kernel: the linux-image package,
#                     unpacked with dpkg -x (never installed on this host);
#   headers-VERSION/  for the 6.12 kernel: its linux-headers, -common and
#                     linux-kbuild packages unpacked with dpkg -x (the 6.12
#                     headers package depends on its linux-image, which must
#                     not be installed here; the 6.1 headers are installed);
#   kselftest/        kselftest_harness.h and kselftest.h from linux-source;
#   checkpatch/       checkpatch.pl and its data files from linux-source.
# Two kernels: Debian bookworm's 6.1 and the 6.12 LTS kernel of
# bookworm-backports, a suite this script adds to the existing Debian
# source entry. Idempotent: what is already there is left alone. Prints the
# two kernel versions, one a line. The kernel ABI (the NN in
# linux-image-6.1.0-NN-amd64, the 6.12.NN in linux-image-6.12.NN+deb12-amd64)
# changes with updates, so it is resolved from linux-image-amd64 of each
# suite, never hard-coded.
set -eu

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: run as root (apt-get install)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# bookworm-backports, added to the Suites of the existing entry for the
# Debian archive (the URI ending in /debian, not /debian-security), in the
# deb822 format (*.sources) or the one-line format (*.list); the archive's
# address is the one already configured.
backports=bookworm-backports
add_backports() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v add="$backports" '
		function flush(i) {
			if (!done && deb && uri && suites) {
				line[suites] = line[suites] " " add
				done = 1
			}
			for (i = 1; i <= n; i++)
				print line[i]
			n = deb = uri = suites = 0
		}
		/^[ \t]*$/ { flush(); print; next }
		{ line[++n] = $0 }
		tolower($1) == "types:" && / deb( |$)/ { deb = 1 }
		tolower($1) == "uris:" && /\/debian\/?( |$)/ { uri = 1 }
		tolower($1) == "suites:" && / bookworm( |$)/ && !/ bookworm-backports( |$)/ { suites = n }
		tolower($1) == "enabled:" && tolower($2) == "no" { deb = 0 }
		END { flush() }' "$f" > "$f.minivmm"
		if ! cmp -s "$f" "$f.minivmm"; then
			cat "$f.minivmm" > "$f" && rm -f "$f.minivmm"
			return 0
		fi
		rm -f "$f.minivmm"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		# deb [OPTIONS] URI bookworm COMPONENTS -> the same line again
		# with bookworm-backports, right after it.
		awk -v add="$backports" '
		!done && /^deb[ \t]/ {
			rest = $0; opts = ""
			sub(/^deb[ \t]+/, "", rest)
			if (rest ~ /^\[/) {
				opts = substr(rest, 1, index(rest, "]")) " "
				rest = substr(rest, index(rest, "]") + 1)
				sub(/^[ \t]+/, "", rest)
			}
			split(rest, w, /[ \t]+/)
			if (w[1] ~ /\/debian\/?$/ && w[2] == "bookworm") {
				print
				comps = rest
				sub(/^[^ \t]+[ \t]+[^ \t]+/, "", comps)
				print "deb " opts w[1] " " add comps
				done = 1
				next
			}
		}
		{ print }' "$f" > "$f.minivmm"
		if ! cmp -s "$f" "$f.minivmm"; then
			cat "$f.minivmm" > "$f" && rm -f "$f.minivmm"
			return 0
		fi
		rm -f "$f.minivmm"
	done
	return 1
}

stamp=/var/lib/apt/periodic/minivmm-update-stamp
if ! grep -Eqs "^[^#]*[[:space:]]$backports([[:space:]]|\$)" \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; then
	if ! add_backports; then
		echo "install-deps: no Debian bookworm entry (URI .../debian) in /etc/apt/sources.list{,.d} to add $backports to" >&2
		exit 1
	fi
	echo "install-deps: added $backports to the Debian source entry" >&2
	rm -f "$stamp"
fi

update() {
	apt-get update -q >&2
	mkdir -p "$(dirname "$stamp")" && touch "$stamp"
}
if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +360 2>/dev/null)" ]; then
	update
fi

resolve() {
	kver=$(apt-cache depends linux-image-amd64 |
		sed -n 's/.*Depends: linux-image-\(6\.1\.[0-9.-]*-amd64\)$/\1/p' | head -n1)
	kver612=$(apt-cache depends "linux-image-amd64/$backports" 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(6\.12\.[0-9.]*+deb[0-9]*-amd64\)$/\1/p' | head -n1)
}
resolve
if [ -z "$kver" ] || [ -z "$kver612" ]; then
	update	# package lists older than the sources
	resolve
fi
if [ -z "$kver" ]; then
	echo "install-deps: cannot resolve the 6.1 kernel version from linux-image-amd64" >&2
	exit 1
fi
if [ -z "$kver612" ]; then
	echo "install-deps: cannot resolve the 6.12 kernel version from linux-image-amd64 in $backports" >&2
	exit 1
fi

# gcc-12 and pahole (1.24, for the BTF of modules): what the 6.12 kernel of
# bookworm-backports was built with, from bookworm itself.
pkgs="make gcc gcc-12 libc6-dev binutils pkg-config check libcap-dev sparse perl
      liblzma-dev libzstd-dev zlib1g-dev
      linux-headers-$kver linux-source-6.1 pahole libelf1 libssl3 zlib1g
      bochs bochsbios vgabios busybox-static
      isolinux syslinux-common xorriso cpio xz-utils kmod
      qemu-system-x86 gnuplot-nox mandoc dkms debhelper dh-dkms lintian
      libdebuginfod1 libexpat1 libgmp10 libipt2 libreadline8 libxxhash0 libzstd1"

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

# unpack DIR PACKAGE...: download the packages and dpkg -x them into DIR.
unpack() {
	dir=$1
	shift
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q "$@") >&2
	rm -rf "$dir.tmp"
	for p in "$@"; do
		dpkg -x "$tmp/$p"_*.deb "$dir.tmp"
	done
	rm -rf "$tmp"
}

for k in "$kver" "$kver612"; do
	if [ ! -r "$cache/kernel-$k/boot/vmlinuz-$k" ]; then
		unpack "$cache/kernel-$k" "linux-image-$k"
		rm -rf "$cache/kernel-$k"
		mv "$cache/kernel-$k.tmp" "$cache/kernel-$k"
	fi
done

# The 6.12 headers: KDIR is $cache/headers-$kver612/usr/src/linux-headers-$kver612.
# Its Makefile includes the -common tree by absolute path: point it to ours.
h=$cache/headers-$kver612
if [ ! -r "$h/usr/src/linux-headers-$kver612/Makefile" ]; then
	unpack "$h" "linux-headers-$kver612" "linux-headers-${kver612%-amd64}-common" \
		"linux-kbuild-${kver612%-amd64}"
	sed -i "s|^include /usr/src/|include $h/usr/src/|" \
		"$h.tmp/usr/src/linux-headers-$kver612/Makefile"
	grep -q "^include $h/" "$h.tmp/usr/src/linux-headers-$kver612/Makefile"
	rm -rf "$h"
	mv "$h.tmp" "$h"
fi

# gdb for the test machine's gdb session (tests/vm/gdb_test.sh): the small
# gdb-minimal, unpacked (installing it would replace the host's own gdb);
# its shared libraries come from this host, installed with $pkgs.
if [ ! -x "$cache/gdb-minimal/usr/bin/gdb" ]; then
	unpack "$cache/gdb-minimal" gdb-minimal
	rm -rf "$cache/gdb-minimal"
	mv "$cache/gdb-minimal.tmp" "$cache/gdb-minimal"
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
echo "$kver612"
