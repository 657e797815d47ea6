/*
 * guests/rtc.S: a real-mode guest that reads the date and time from the
 * MC146818 CMOS clock (ports 0x70/0x71) as a BIOS does: once no update is
 * in progress (register A bit 7), in BCD (register B as at power-up), and
 * prints "rtc: 20YY-MM-DD hh:mm:ss" (the century from register 0x32).
 * Exits with 0. Exits it causes: IN and OUT.
 */
#include "rt16.inc"

	.code16
	.text
	.globl	_start
_start:
	rt16_start
1:	mov	$0x0a, %al
	out	%al, $0x70
	in	$0x71, %al
	test	$0x80, %al
	jnz	1b
	mov	$prefix, %si
	call	puts
	mov	$fields, %si
2:	lodsb				/* register, or 0xff at the end */
	cmp	$0xff, %al
	je	3f
	out	%al, $0x70
	in	$0x71, %al
	call	putbcd
	lodsb				/* the separator after it */
	test	%al, %al
	jz	2b
	call	putc
	jmp	2b
3:	mov	$'\n', %al
	call	putc
	xor	%al, %al
	out	%al, $0xf4
	hlt

/* Two BCD digits. */
putbcd:
	push	%ax
	shr	$4, %al
	add	$'0', %al
	call	putc
	pop	%ax
	and	$0x0f, %al
	add	$'0', %al
	call	putc
	ret

	rt16_serial

prefix:	.asciz	"rtc: "
/* register, separator: century, year, month, day, hours, minutes, seconds */
fields:	.byte	0x32, 0, 0x09, '-', 0x08, '-', 0x07, ' ', 0x04, ':', 0x02, ':', 0x00, 0, 0xff
