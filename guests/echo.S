/*
 * guests/echo.S: a real-mode guest that echoes what is typed, driven by
 * the UART's received-data interrupt (IRQ 4 through the 8259A, vector
 * 0x0c), and halts between characters. It enables the interrupt as a
 * driver does (IER bit 0, and OUT2 in MCR, which gates IRQ 4 on a PC),
 * sends each byte back, and exits with 0 when it receives 'q'. Try
 * `printf 'hello\nq' | vmm guests/echo.img`. Exits it causes: IN and
 * OUT, HLT, and each interrupt's injection.
 */
#include "rt16.inc"

	.code16
	.text
	.globl	_start
_start:
	rt16_start
	movw	$rx, 0x0c * 4		/* IVT[0x0c]: IRQ 4 */
	movw	$0, 0x0c * 4 + 2

	/* The 8259A pair as a BIOS sets it: vectors 8-15 and 0x70-0x77. */
	rt16_pic_init 0x08, 0x70, 0xef, 0xff	/* only IRQ 4 */

	/* COM1: 8 bits, no parity; DTR, RTS and OUT2; the received-data interrupt. */
	mov	$0x3fb, %dx
	mov	$0x03, %al
	out	%al, %dx
	mov	$0x3fc, %dx
	mov	$0x0b, %al
	out	%al, %dx
	mov	$0x3f9, %dx
	mov	$0x01, %al
	out	%al, %dx

	/*
	 * Wait for done with IF clear while testing it, and STI; HLT: an
	 * interrupt between the test and a HLT would leave the guest halted
	 * for good (STI's interrupt shadow covers the HLT).
	 */
1:	cli
	cmpb	$0, done
	jne	2f
	sti
	hlt
	jmp	1b
2:
	xor	%al, %al
	out	%al, $0xf4		/* vmm's exit port */
	hlt

/* IRQ 4: take every byte the receiver holds, echo it, then EOI. */
rx:
	push	%ax
	push	%dx
2:	mov	$0x3fd, %dx		/* LSR */
	in	%dx, %al
	test	$0x01, %al		/* data ready */
	jz	3f
	mov	$0x3f8, %dx
	in	%dx, %al
	cmp	$'q', %al
	jne	4f
	movb	$1, %cs:done
	jmp	2b
4:	out	%al, %dx
	jmp	2b
3:	mov	$0x20, %al
	out	%al, $0x20
	pop	%dx
	pop	%ax
	iret

done:	.byte	0
