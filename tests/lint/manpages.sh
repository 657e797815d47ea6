#!/bin/sh
# The man pages (man/*.[0-9]): lint-clean, and naming what the code defines.
#  1. mandoc -T lint -W warning prints nothing for any page;
#  2. man/minivmm.4 names every ioctl (#define MINIVMM_... _IO/_IOR/_IOW/_IOWR),
#     every MINIVMM_EXIT_* and every MINIVMM_CAP_* of the uapi header;
#     man/vmm.1 has an entry (.It Fl -NAME) for every long option of vmm's
#     usage text and option table (vmm/options.c), and man/vmm-run.1 one for
#     every long option of vmm-run's (vmm/vmm-run.c).
# Roff comments do not count. Prints each problem and exits 1, or a one-line
# summary and exits 0; exits 2 when it cannot check (no mandoc, no files).
# usage: tests/lint/manpages.sh [ROOT]   (ROOT: the project; default ../..
# of this script). Needs mandoc (Debian: apt-get install mandoc).
set -u
root=${1:-$(dirname "$0")/../..}
header=$root/include/uapi/linux/minivmm.h
status=0

fail() {
	echo "manpages: FAIL: $*"
	status=1
}

command -v mandoc >/dev/null 2>&1 || {
	echo "manpages: mandoc not found (Debian: apt-get install mandoc)"
	exit 2
}
for f in "$header" "$root/vmm/options.c" "$root/vmm/vmm-run.c" \
	 "$root/man/minivmm.4" "$root/man/vmm.1" "$root/man/vmm-run.1"; do
	[ -f "$f" ] || { echo "manpages: $f is missing"; exit 2; }
done

# 1. mandoc's lint, at level warning and above.
pages=0
for page in "$root"/man/*.[0-9]; do
	[ -f "$page" ] || continue
	pages=$((pages + 1))
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	if [ -n "$out" ]; then
		fail "mandoc -T lint -W warning ${page#"$root"/}:"
		printf '%s\n' "$out" | sed 's/^/  /'
	fi
done

# The page without its roff comments (\" to the end of the line).
text() {
	sed 's/\\".*//' "$1"
}

# Is NAME (letters, digits, _) a whole word of the page?
has_word() { # NAME PAGE
	text "$2" | grep -Eq "(^|[^A-Za-z0-9_])$1([^A-Za-z0-9_]|\$)"
}

# Has the page a list entry for option --NAME (.It Fl -NAME, maybe after
# another option on the same line: .It Fl h , Fl -help)?
has_option() { # NAME PAGE
	text "$2" | grep -Eq "^\\.It([[:space:]].*)?[[:space:]]Fl[[:space:]]+-$1([^A-Za-z0-9_-]|\$)"
}

# The header with backslash-continued lines joined.
defines() {
	sed -e ':a' -e '/\\$/N' -e 's/\\\n//' -e 'ta' "$header" |
		sed -n 's/^#[[:space:]]*define[[:space:]]\{1,\}\(MINIVMM_[A-Z0-9_]*\)[[:space:]]\{1,\}\(.*\)$/\1 \2/p'
}

# --NAME tokens in the C string constant that starts at START (a regex)
# and ends at the first line ending in ';', and in option tables.
usage_options() { # FILE START
	sed -n "/$2/,/;[[:space:]]*\$/p" "$1" |
		awk '{ while (match($0, /--[a-z][a-z0-9-]*/)) {
			print substr($0, RSTART + 2, RLENGTH - 2)
			$0 = substr($0, RSTART + RLENGTH) } }'
	# vmm's table: FLAG("name", ...), VALUE("name", ...); vmm-run's:
	# { "name", required_argument, ... }.
	sed -n -e 's/.*FLAG("\([a-z0-9-]*\)".*/\1/p' \
	       -e 's/.*VALUE("\([a-z0-9-]*\)".*/\1/p' \
	       -e 's/.*{[[:space:]]*"\([a-z0-9-]*\)",[[:space:]]*[a-z]*_argument.*/\1/p' "$1"
}

# 2. The header's names in minivmm(4).
ioctls=$(defines | awk '$2 ~ /^_IO(R|W|WR)?\(/ { print $1 }')
exits=$(defines | awk '$1 ~ /^MINIVMM_EXIT_/ { print $1 }')
caps=$(defines | awk '$1 ~ /^MINIVMM_CAP_/ { print $1 }')
n_ioctls=$(printf '%s\n' "$ioctls" | grep -c .)
n_exits=$(printf '%s\n' "$exits" | grep -c .)
n_caps=$(printf '%s\n' "$caps" | grep -c .)
if [ "$n_ioctls" = 0 ] || [ "$n_exits" = 0 ] || [ "$n_caps" = 0 ]; then
	fail "found no ioctls, exit reasons or capabilities in $header"
fi
for name in $ioctls $exits $caps; do
	has_word "$name" "$root/man/minivmm.4" ||
		fail "man/minivmm.4 does not name $name (include/uapi/linux/minivmm.h)"
done

# ... and the commands' options in their pages.
vmm_opts=$(usage_options "$root/vmm/options.c" '^const char vmm_usage\[\] =' | sort -u)
run_opts=$(usage_options "$root/vmm/vmm-run.c" '^static const char usage\[\] =' | sort -u)
n_vmm=$(printf '%s\n' "$vmm_opts" | grep -c .)
n_run=$(printf '%s\n' "$run_opts" | grep -c .)
if [ "$n_vmm" = 0 ] || [ "$n_run" = 0 ]; then
	fail "found no options in vmm/options.c or vmm/vmm-run.c"
fi
for opt in $vmm_opts; do
	has_option "$opt" "$root/man/vmm.1" ||
		fail "man/vmm.1 has no entry (.It Fl -$opt) for vmm's option --$opt (vmm/options.c)"
done
for opt in $run_opts; do
	has_option "$opt" "$root/man/vmm-run.1" ||
		fail "man/vmm-run.1 has no entry (.It Fl -$opt) for vmm-run's option --$opt (vmm/vmm-run.c)"
done

# The count make check adds up: two checks, lint and consistency.
if [ $status = 0 ]; then
	echo "manpages: ok: $pages pages lint-clean; minivmm.4 names $n_ioctls ioctls, $n_exits exit reasons, $n_caps capabilities; vmm.1 documents $n_vmm options, vmm-run.1 $n_run"
	echo "manpages: 2 passed, 0 failed"
else
	echo "manpages: 0 passed, 2 failed"
fi
exit $status
