#!/bin/sh
# tests/bench/report.sh RESULTS.TAP OUTDIR: the "bench-csv:" lines of a
# bench run as OUTDIR/results.csv, a text table (results.txt) and a bar
# chart of cycles per operation (results.png, gnuplot).
set -eu
tap=$1 out=$2
mkdir -p "$out"
{
	echo "benchmark,iterations,minivmm_cycles_per_op,kvm_cycles_per_op,ratio_minivmm_kvm,native_cycles"
	sed -n 's/.*# bench-csv: //p' "$tap"
} > "$out/results.csv"
[ "$(wc -l < "$out/results.csv")" -gt 1 ] || { echo "report: no results in $tap" >&2; exit 1; }
awk -F, 'NR == 1 { printf "%-12s %12s %12s %16s\n", "benchmark", "minivmm", "KVM", "minivmm/KVM"; next }
	{ printf "%-12s %12s %12s %16s", $1, $3, $4, $5
	  if ($6 != "") printf "   (native %s: minivmm/native %.3f, KVM/native %.3f)", $6, $3 / $6, $4 / $6
	  printf "\n" }' "$out/results.csv" > "$out/results.txt"
sed -n 's/.*# bench-mem \([a-z]*\) vm \([0-9.]*\) vcpu \([0-9.]*\) vms \([0-9]*\)/kernel memory, \1: \2 KiB per VM, \3 KiB per VCPU (MemFree, \4 VMs x 4 VCPUs)/p' "$tap" >> "$out/results.txt"
if grep -q '# bench-mitigations: ' "$tap"; then
	echo "minivmm with and without its mitigations at VM entry and exit (minivmm.mitigations=0):"
	sed -n 's/.*# bench-mitigation-state: \(.*\)/  \1/p' "$tap"
	printf '%-12s %12s %12s %8s\n' benchmark "on" "off" "on/off"
	sed -n 's/.*# bench-mitigations: //p' "$tap" |
		awk '{ printf "%-12s %12s %12s %8.3f\n", $1, $2, $3, $2 / $3 }'
fi >> "$out/results.txt"
if grep -q '# bench-profile: ' "$tap"; then
	echo "minivmm's exit path, by stage (debugfs minivmm/profile; see docs/performance.md):"
	sed -n 's/.*# bench-profile: //p' "$tap"
fi >> "$out/results.txt"
if grep -q '# bench-linux: ' "$tap"; then
	echo "Linux boot (vmm-run's busybox initramfs; the fastest of the runs):"
	echo "  to the first command: the guest's TSC from power-on, in ms of the guest's clock"
	echo "  whole run: launch to exit, in ms of the test machine's clock; exits: the hypervisor's count"
	echo "  the kernel: vmm unpacks it on the host and keeps it (cold: the first run, warm: from"
	echo "  the cache); self: the guest's own decompressor (vmm --no-unpack, and QEMU)"
	sed -n 's/.*# bench-linux: //p' "$tap" | awk '
		{ p = $1; if (!(p in c) || $3 < c[p]) c[p] = $3; if (!(p in w) || $4 < w[p]) w[p] = $4
		  if (!(p in x) || $5 < x[p]) x[p] = $5; seen[p] = 1
		  if ($6 == "cold") cold[p] = $4; if ($6 != "") how[p] = how[p] (how[p] ? "," : "") $6 }
		END {
			name["minivmm"] = "vmm, minivmm"; name["kvm"] = "vmm, KVM"; name["qemu"] = "QEMU+KVM -M isapc"
			name["minivmm-self"] = "vmm --no-unpack"
			printf "  %-20s %12s %12s %10s  %s\n", "", "to command", "whole run", "exits", "the kernel"
			split("minivmm kvm minivmm-self qemu", order, " ")
			for (i = 1; i <= 4; i++) { p = order[i]; if (!(p in seen)) continue
				printf "  %-20s %9.1f ms %9d ms %10s  %s\n", name[p], c[p], w[p],
					p == "qemu" ? "-" : x[p], p == "qemu" ? "self" : how[p] }
			if (("minivmm" in seen) && ("kvm" in seen) && c["kvm"] > 0)
				printf "  to the first command, minivmm/KVM: %.3f (target: at most 1)\n", c["minivmm"] / c["kvm"]
			if (("minivmm" in seen) && ("qemu" in seen) && w["qemu"] > 0)
				printf "  whole run, vmm on minivmm/QEMU+KVM: %.3f (target: at most 0.5)\n", w["minivmm"] / w["qemu"]
			if (("minivmm" in cold) && ("qemu" in seen) && w["qemu"] > 0)
				printf "  ... the first run, which unpacks the kernel: %d ms, %.3f of QEMU+KVM\n",
					cold["minivmm"], cold["minivmm"] / w["qemu"]
			if (("minivmm-self" in seen) && ("qemu" in seen) && w["qemu"] > 0)
				printf "  ... with --no-unpack: %.3f of QEMU+KVM\n", w["minivmm-self"] / w["qemu"]
		}'
	echo "  exits during a boot, by reason:"
	sed -n 's/.*# bench-linux-exits: /    /p' "$tap"
fi >> "$out/results.txt"
echo "cycles per operation: guest TSC in the Bochs test machine (emulated instructions), same boot; compare ratios only" >> "$out/results.txt"
gnuplot <<GP
set terminal pngcairo size 900,500 noenhanced
set output "$out/results.png"
set datafile separator ","
set title "minivmm and KVM in the same test-machine boot: TSC cycles per operation (log scale)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set key top left
set xtics rotate by -30
plot "$out/results.csv" every ::1 using 3:xtic(1) title "minivmm", "" every ::1 using 4 title "KVM"
GP
cat "$out/results.txt"
