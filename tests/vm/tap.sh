# Sourced by the shell tests of the test machine: TAP helpers.
# check DESCRIPTION EXPECTED-STATUS PATTERN -- COMMAND...
#   runs COMMAND, passes if it exits with EXPECTED-STATUS and its output
#   (stdout and stderr) matches the grep PATTERN.
n=0 fail=0
check() {
	desc=$1 want=$2 pat=$3
	shift 4
	n=$((n + 1))
	out=$("$@" 2>&1)
	st=$?
	if [ "$st" = "$want" ] && echo "$out" | grep -q -- "$pat"; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		echo "# status $st (want $want), output:"
		echo "$out" | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
}
