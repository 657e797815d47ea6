/*
 * guests/probe.S: the isolation prober (tests/kselftest/isolation_test.c).
 * A flat image at 0x7c00 that runs in flat 32-bit protected mode with
 * paging off (the test sets CS/DS with base 0 and limit 4 GiB), so that it
 * reaches every guest-physical address below 4 GiB. It reads one dword at
 * each address of the probe plan the test wrote at PLAN and stores what it
 * read, in order, at RESULTS. A probe where no slot is becomes an MMIO exit
 * that the test answers. A value equal to one of the plan's two patterns
 * (the host's secret, the other VM's memory) is reported at once: OUT of
 * its address to port 0xe1. HLT at the end. Not a vmm guest (vmm would
 * start it in real mode).
 *
 * The plan: u32 nranges, u32 pattern[2], then nranges of
 * { u32 first address, u32 number of probes, u32 stride }.
 */
	.set	PLAN, 0x1000
	.set	RESULTS, 0x10000
	.set	FOUND_PORT, 0xe1

	.code32
	.text
	.globl	_start
_start:
	cli
	mov	$PLAN, %esi
	mov	(%esi), %ecx		/* ranges left */
	add	$12, %esi
	mov	$RESULTS, %edi
next_range:
	test	%ecx, %ecx
	jz	done
	mov	(%esi), %ebx		/* address */
	mov	4(%esi), %ebp		/* probes left in this range */
probe:
	test	%ebp, %ebp
	jz	range_done
	mov	(%ebx), %eax		/* the probe: memory, or an MMIO exit */
	mov	%eax, (%edi)
	add	$4, %edi
	cmp	PLAN + 4, %eax
	je	found
	cmp	PLAN + 8, %eax
	jne	step
found:
	mov	%ebx, %eax
	mov	$FOUND_PORT, %dx
	out	%eax, %dx
step:
	add	8(%esi), %ebx
	dec	%ebp
	jmp	probe
range_done:
	add	$12, %esi
	dec	%ecx
	jmp	next_range
done:
	hlt
	jmp	done
