// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory through the guest's page tables; see guestmem.h. Runs in
 * a VCPU thread (the gdb stub, --trace), reading vm->mem directly.
 */
#include <string.h>

#include "../kmod/pagewalk.h"
#include "guestmem.h"
#include "vm.h"

/* pagewalk()'s reader: a page-table entry, if it lies in guest memory. */
static int read_gpa(void *ctx, u64 gpa, void *buf, unsigned int len)
{
	struct vm *vm = ctx;

	if (gpa > vm->mem_size || len > vm->mem_size - gpa)
		return -1;
	memcpy(buf, vm->mem + gpa, len);
	return 0;
}

int guest_translate(struct vm *vm, const struct minivmm_sregs *sr, uint64_t la, uint64_t *gpa)
{
	struct pagewalk_regs r = {
		.cr0 = sr->cr0, .cr3 = sr->cr3, .cr4 = sr->cr4, .efer = sr->efer,
	};
	u64 pa;

	if (pagewalk(&r, la, &pa, read_gpa, vm))
		return -1;
	*gpa = pa;
	return 0;
}

size_t guest_copy(struct vm *vm, const struct minivmm_sregs *sr, uint64_t la, uint8_t *buf,
		  size_t len, bool write)
{
	size_t done = 0, n;
	uint64_t pa;

	while (done < len) {
		n = 4096 - (la & 0xfff);
		if (n > len - done)
			n = len - done;
		if (guest_translate(vm, sr, la, &pa) || pa > vm->mem_size ||
		    n > vm->mem_size - pa)
			break;
		if (write)
			memcpy(vm->mem + pa, buf + done, n);
		else
			memcpy(buf + done, vm->mem + pa, n);
		la += n;
		done += n;
	}
	return done;
}
