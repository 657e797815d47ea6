#!/bin/sh
# make install and make uninstall into a staging root (DESTDIR), on the
# build host: the files installed must be exactly the list in
# docs/install.md, with their modes, and make uninstall must remove them
# all. Prints "install: P passed, F failed".
# usage: tests/lint/install.sh [PROJECT_ROOT]
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || exit 1
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "not ok - $1"; fail=$((fail + 1)); }

# The documented list: the fenced block after the installed-files marker.
awk '/<!-- installed-files: PREFIX=\/usr -->/ { m = 1; next }
	m && /^```/ { if (++fence == 2) exit; next } m && fence == 1' docs/install.md | sort > "$stage/want"
[ -s "$stage/want" ] || bad "docs/install.md lists the installed files"

if make --no-print-directory -s install DESTDIR="$stage/root" PREFIX=/usr > "$stage/log" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr"
else
	bad "make install DESTDIR=... PREFIX=/usr"
	cat "$stage/log"
fi
(cd "$stage/root" 2>/dev/null && find . ! -type d | sed 's/^\.//' | sort) > "$stage/got"
if diff -u "$stage/want" "$stage/got"; then
	ok "it lays out exactly the files docs/install.md lists ($(wc -l < "$stage/want"))"
else
	bad "it lays out exactly the files docs/install.md lists"
fi
# Programs 0755, the rest 0644.
modes=$(cd "$stage/root" 2>/dev/null && find . ! -type d -exec stat -c '%a %n' {} + |
	awk '($2 ~ /\/bin\// && $1 != 755) || ($2 !~ /\/bin\// && $1 != 644)')
if [ -z "$modes" ]; then ok "programs are 0755, the other files 0644"; else bad "modes: $modes"; fi
if "$stage/root/usr/bin/vmm" --version | grep -q "^vmm (minivmm) $(cat VERSION)"; then
	ok "the installed vmm prints its version"
else
	bad "the installed vmm prints its version"
fi
make --no-print-directory -s uninstall DESTDIR="$stage/root" PREFIX=/usr > "$stage/log" 2>&1 ||
	cat "$stage/log"
left=$(cd "$stage/root" && find . ! -type d)
if [ -z "$left" ]; then ok "make uninstall removes every file"; else bad "make uninstall left: $left"; fi
echo "install: $pass passed, $fail failed"
[ "$fail" = 0 ]
