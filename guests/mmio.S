/*
 * guests/mmio.S: a real-mode guest that touches memory-mapped I/O. The VGA
 * hole at 0xa0000 has no RAM behind it, so each access is an EPT violation
 * that minivmm decodes and hands to vmm as an MMIO exit. vmm has no device
 * there: a read returns all ones. The guest checks that, says so on the
 * UART, and exits with 42 (1 if the read was wrong).
 */
	.code16
	.text
	.globl	_start
_start:
	cli
	xor	%ax, %ax
	mov	%ax, %ss
	mov	$0x7c00, %sp
	mov	$0xa000, %ax
	mov	%ax, %es
	movw	$0x1234, %es:0x10	/* MMIO write of an immediate */
	mov	%es:0x20, %ax		/* MMIO read: 0xffff from vmm */
	xor	%bx, %bx
	mov	%bx, %ds
	mov	$1, %cl
	cmp	$0xffff, %ax
	jne	done
	mov	$msg, %si
next:
	lodsb
	test	%al, %al
	jz	ok
	mov	$0x3f8, %dx
	out	%al, %dx
	jmp	next
ok:
	mov	$42, %cl
done:
	mov	%cl, %al
	mov	$0xf4, %dx
	out	%al, %dx
	hlt

msg:
	.asciz	"MMIO: a write and a read of 0xa0000 went to vmm\n"
