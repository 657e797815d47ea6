/*
 * guests/timer.S: a real-mode guest that takes timer interrupts, as a PC's
 * BIOS and DOS did. It programs the 8259A pair (IRQ 0-7 at vectors 8-15,
 * IRQ 8-15 at 0x70-0x77, cascaded on IRQ 2), the 8254 (channel 0, mode 2,
 * 100 Hz: IRQ 0) and the CMOS clock's periodic interrupt (256 Hz: IRQ 8,
 * through the slave), and takes 25 PIT ticks with HLT between them: a
 * quarter second of the host's time; then five more while it spins without
 * HLT, which reach it only if vmm kicks the VCPU out of the guest. It checks
 * that the RTC ticked about 77 times meanwhile (72 to 82: two clocks that
 * disagree by a tenth cannot pass), and that the PIT's ticks came evenly
 * (the TSC over the first 15 and the last 15 agree within a quarter). It
 * prints what it saw (the counts only when a check fails: they differ from
 * run to run) and exits with 80 (0x50) if both hold, 81 if not. Exits it causes: IN and OUT, HLT, and
 * each interrupt's injection.
 */
#include "rt16.inc"

	.code16
	.text
	.globl	_start
_start:
	rt16_start
	movw	$tick, 0x08 * 4		/* IVT[8]: IRQ 0 */
	movw	$0, 0x08 * 4 + 2
	movw	$rtc, 0x70 * 4		/* IVT[0x70]: IRQ 8 */
	movw	$0, 0x70 * 4 + 2

	/* The 8259A pair: ICW1-ICW4, then only IRQ 0, 2 (the cascade) and 8. */
	rt16_pic_init 0x08, 0x70, 0xfa, 0xfe

	/* The RTC: rate 8 (32768 >> 7 = 256 Hz), periodic interrupt on. */
	mov	$0x0a, %al
	out	%al, $0x70
	mov	$0x28, %al
	out	%al, $0x71
	mov	$0x0b, %al
	out	%al, $0x70
	in	$0x71, %al
	or	$0x40, %al		/* PIE */
	mov	%al, %ah
	mov	$0x0b, %al
	out	%al, $0x70
	mov	%ah, %al
	out	%al, $0x71

	/* The 8254: channel 0, LSB then MSB, mode 2, 1193182 / 11932 Hz. */
	mov	$0x34, %al
	out	%al, $0x43
	mov	$11932 & 0xff, %al
	out	%al, $0x40
	mov	$11932 >> 8, %al
	out	%al, $0x40
	rdtsc
	mov	%eax, t0
	mov	%edx, t0 + 4
	movw	$0, rticks		/* count the RTC from the PIT's start */
	sti
2:	hlt
	cmpw	$15, ticks
	jb	3f
	cmpl	$0, th + 4
	jne	3f
	cmpl	$0, th
	jne	3f
	rdtsc
	mov	%eax, th
	mov	%edx, th + 4
3:	cmpw	$25, ticks
	jb	2b
	/* Five more without HLT: only a kick out of the guest brings them. */
4:	cmpw	$30, ticks
	jb	4b
	cli
	rdtsc
	mov	%eax, t1
	mov	%edx, t1 + 4

	/* The RTC's ticks over 0.3 s (76.8): 72 to 82. */
	mov	$0x50, %bl		/* pass, unless a check below fails */
	mov	rticks, %ax
	cmp	$72, %ax
	jb	9f
	cmp	$82, %ax
	jbe	5f
9:	mov	$0x51, %bl
	/* The PIT's spacing: a = th - t0, b = t1 - th; |a - b| * 4 <= a. */
5:	mov	th, %eax
	mov	th + 4, %edx
	sub	t0, %eax
	sbb	t0 + 4, %edx
	mov	%eax, a_
	mov	%edx, a_ + 4
	mov	t1, %eax
	mov	t1 + 4, %edx
	sub	th, %eax
	sbb	th + 4, %edx
	mov	%eax, b_
	mov	%edx, b_ + 4
	/* Work in units of 2^16 TSC ticks: the halves fit 32 bits. */
	mov	a_ + 2, %eax
	mov	b_ + 2, %ecx
	mov	%eax, %edx
	sub	%ecx, %edx
	jae	6f
	neg	%edx
6:	shl	$2, %edx
	cmp	%eax, %edx
	jbe	7f
	mov	$0x51, %bl
7:	push	%bx
	mov	$msg_pass, %si
	cmp	$0x50, %bl
	je	8f
	/* On failure, the numbers (they differ from run to run): RTC ticks, TSC/65536 per half. */
	mov	$msg1, %si
	call	puts
	mov	rticks, %ax
	call	putdec
	mov	$msg2, %si
	call	puts
	mov	a_ + 2, %eax
	call	puthex
	mov	$msg3, %si
	call	puts
	mov	b_ + 2, %eax
	call	puthex
	mov	$msg4, %si
8:	call	puts
	pop	%bx
	/* Nothing of the TSC left in a register: runs compare equal (diff_test). */
	xor	%eax, %eax
	xor	%ecx, %ecx
	xor	%edx, %edx
	mov	%bl, %al
	out	%al, $0xf4		/* vmm's exit port */
	hlt

/* IRQ 8: count, read register C (or the RTC interrupts no more), EOI both PICs. */
rtc:
	push	%ax
	incw	%cs:rticks
	mov	$0x0c, %al
	out	%al, $0x70
	in	$0x71, %al
	mov	$0x20, %al
	out	%al, $0xa0
	out	%al, $0x20
	pop	%ax
	iret

/* IRQ 0: count, and end the interrupt at the PIC (non-specific EOI). */
tick:
	push	%ax
	incw	%cs:ticks
	mov	$0x20, %al
	out	%al, $0x20
	pop	%ax
	iret

/* AX in decimal (up to 65535). */
putdec:
	mov	$10, %cx
	xor	%di, %di
1:	xor	%dx, %dx
	div	%cx
	push	%dx
	inc	%di
	test	%ax, %ax
	jnz	1b
2:	pop	%ax
	add	$'0', %al
	call	putc
	dec	%di
	jnz	2b
	ret

	rt16_serial

/* EAX as 8 hex digits. */
puthex:
	mov	$8, %cx
1:	rol	$4, %eax
	push	%eax
	and	$0x0f, %al
	add	$'0', %al
	cmp	$'9', %al
	jbe	2f
	add	$'a' - '0' - 10, %al
2:	call	putc
	pop	%eax
	loop	1b
	ret

msg_pass: .asciz "timer: 30 PIT ticks at 100 Hz, 72 to 82 RTC ticks at 256 Hz meanwhile, evenly spaced\n"
msg1:	.asciz	"timer: 30 PIT ticks at 100 Hz, RTC ticks at 256 Hz meanwhile: "
msg2:	.asciz	", TSC/65536 per 15 ticks 0x"
msg3:	.asciz	" then 0x"
msg4:	.asciz	"\n"

	.balign	8
t0:	.quad	0
th:	.quad	0
t1:	.quad	0
a_:	.quad	0
b_:	.quad	0
ticks:	.word	0
rticks:	.word	0
