/*
 * guests/hello.S: a real-mode guest, loaded at 0x7c00 like a boot sector.
 * It prints a line on the 16550 UART at COM1 (waiting for the transmitter
 * as a driver must) and ends by writing its exit value to port 0xf4.
 * Exits it causes: IN and OUT (trap and emulate in vmm), then none.
 */
#include "rt16.inc"

	.code16
	.text
	.globl	_start
_start:
	rt16_start
	mov	$msg, %si
next:
	lodsb
	test	%al, %al
	jz	done
	mov	%al, %bl
	mov	$0x3fd, %dx		/* line status register */
wait:
	in	%dx, %al
	test	$0x20, %al		/* transmit holding register empty */
	jz	wait
	mov	$0x3f8, %dx		/* transmit holding register */
	mov	%bl, %al
	out	%al, %dx
	jmp	next
done:
	mov	$0xf4, %dx		/* vmm's exit port */
	xor	%al, %al
	out	%al, %dx
	hlt

msg:
	.asciz	"Hello from a real-mode guest running under minivmm!\n"
