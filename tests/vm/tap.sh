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

# Load minivmm and KVM side by side. Linux 6.12 turns VMX on when kvm_intel
# loads unless told not to; 6.1 only while a KVM VM exists (docs/testing.md).
load_both_hypervisors() {
	insmod /lib/modules/extra/minivmm.ko 2>/dev/null
	case $(uname -r) in
	6.1.*) kvmparam= ;;
	*) kvmparam=enable_virt_at_load=0 ;;
	esac
	for m in irqbypass "kvm $kvmparam" kvm-intel; do
		set -- $m
		insmod /lib/modules/extra/$1.ko ${2:-} 2>/dev/null
	done
}
