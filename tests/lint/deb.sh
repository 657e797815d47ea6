#!/bin/sh
# make deb (debian/: debhelper and dh-dkms) on the build host: both
# packages are built, lintian reports no error or warning on them, the
# DKMS package carries the module's source with its version, and the vmm
# package, unpacked into a scratch root (dpkg -x), gives a vmm that prints
# its version. Prints "deb: P passed, F failed".
# usage: tests/lint/deb.sh [PROJECT_ROOT]
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || exit 1
version=$(cat VERSION)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "not ok - $1"; fail=$((fail + 1)); }

dkms=build/deb/minivmm-dkms_${version}_all.deb
vmm=build/deb/vmm_${version}_amd64.deb
if make --no-print-directory -s deb > "$scratch/log" 2>&1 && [ -f "$dkms" ] && [ -f "$vmm" ]; then
	ok "make deb builds $(basename "$dkms") and $(basename "$vmm")"
else
	bad "make deb builds both packages"
	tail -n 30 "$scratch/log"
fi
# Lintian's errors and warnings fail; its informational tags are printed.
# (Exit status 2: lintian itself failed.)
lintian --info "$dkms" "$vmm" > "$scratch/lintian" 2>&1
lst=$?
grep -v 'running with root privileges' "$scratch/lintian"
if [ $lst -ge 2 ] || grep -q '^[EW]: ' "$scratch/lintian"; then
	bad "lintian: no error or warning"
else
	ok "lintian: no error or warning"
fi
if dpkg-deb -c "$dkms" 2>/dev/null | grep -q "usr/src/minivmm-$version/kmod/main.c$" &&
   dpkg-deb --fsys-tarfile "$dkms" 2>/dev/null | tar -xO "./usr/src/minivmm-$version/dkms.conf" |
	grep -qx "PACKAGE_VERSION=\"$version\"" &&
   dpkg-deb -I "$dkms" 2>/dev/null | grep -q 'Depends:.*dkms'; then
	ok "minivmm-dkms holds the module's source for DKMS, version $version, and depends on dkms"
else
	bad "minivmm-dkms holds the module's source for DKMS, version $version, and depends on dkms"
fi
dpkg -x "$vmm" "$scratch/root"
if "$scratch/root/usr/bin/vmm" --version | grep -q "^vmm (minivmm) $version,"; then
	ok "the vmm package's vmm (dpkg -x) prints its version"
else
	bad "the vmm package's vmm (dpkg -x) prints its version"
fi
echo "deb: $pass passed, $fail failed"
[ "$fail" = 0 ]
