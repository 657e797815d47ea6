/*
 * guests/reset.S: a real-mode guest that resets the machine the way a PC
 * BIOS and Linux's reboot=k do: by pulsing the CPU's reset line through
 * the i8042 keyboard controller (command 0xfe to port 0x64). vmm ends with
 * status 0 and says why. Exits it causes: one OUT.
 */
	.code16
	.text
	.globl	_start
_start:
	cli
1:	in	$0x64, %al		/* wait until the controller takes a command */
	test	$0x02, %al
	jnz	1b
	mov	$0xfe, %al
	out	%al, $0x64
	/* Not reached on a PC: the exit port says the reset did not happen. */
	mov	$0x51, %al
	out	%al, $0xf4
	hlt
