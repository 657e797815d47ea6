/*
 * guests/pm32.S: an ELF32 guest. vmm starts it at its entry in flat 32-bit
 * protected mode (CS base 0, limit 4 GiB), with a stack below 640 KiB. It
 * prints a line on the UART, checks that CR0.PE is set, and exits with 32.
 */
	.code32
	.text
	.globl	_start
_start:
	mov	$msg, %esi
1:	lodsb
	test	%al, %al
	jz	2f
	mov	$0x3f8, %dx
	out	%al, %dx
	jmp	1b
2:	mov	%cr0, %eax
	and	$1, %eax		/* PE */
	shl	$5, %eax		/* 32 if set, 0 if not */
	mov	$0xf4, %dx
	out	%al, %dx
	hlt

	.section .rodata
msg:
	.asciz	"Hello from a 32-bit protected-mode ELF guest!\n"
