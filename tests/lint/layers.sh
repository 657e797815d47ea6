#!/bin/bash
# The module's files form a stack: each calls only files below it, never
# one above (no circle of calls between files), and none is over 600 lines
# (docs/concepts.md has the map). Reads the symbols of the built objects.
# usage: tests/lint/layers.sh DIR   (DIR: a built kmod/ with its *.o)
set -u
dir=${1:?usage: layers.sh KMOD-BUILD-DIR}
max_lines=600
status=0

objs=$(ls "$dir"/*.o 2>/dev/null | grep -v -e '\.mod\.o$' -e '/minivmm\.o$')
[ -n "$objs" ] || { echo "layers: no objects in $dir"; exit 1; }

# "symbol file" for every global symbol a file defines.
defs=$(for o in $objs; do
	nm --defined-only -g "$o" | awk -v f="$(basename "$o" .o)" '{ print $3, f }'
done | sort)
# "caller callee" for every symbol a file uses from another file.
edges=$(for o in $objs; do
	f=$(basename "$o" .o)
	nm -u "$o" | awk '{ print $2 }' | sort -u | join - <(echo "$defs") |
		awk -v f="$f" '$2 != f { print f, $2 }'
done | sort -u)

echo "$edges" | awk '{ printf "  %-12s -> %s\n", $1, $2 }'
if ! loop=$( (echo "$edges"; for o in $objs; do b=$(basename "$o" .o); echo "$b $b"; done) |
	     tsort 2>&1 >/dev/null); then
	echo "layers: FAIL: files call each other in a circle:"
	echo "$loop" | sed 's/^/  /'
	status=1
fi
for f in "$dir"/*.c "$dir"/*.h "$dir"/*.S; do
	case $f in *.mod.c) continue ;; esac
	n=$(wc -l < "$f")
	if [ "$n" -gt "$max_lines" ]; then
		echo "layers: FAIL: $(basename "$f") has $n lines (at most $max_lines)"
		status=1
	fi
done
[ $status = 0 ] && echo "layers: ok: $(echo "$objs" | wc -w) objects, no circle, no file over $max_lines lines"
exit $status
