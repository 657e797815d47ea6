// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercalls vmm answers; see hypercall.h. Runs in the VCPU thread
 * whose VMCALL exited, with vm->lock held.
 */
#include <stdio.h>

#include "hypercall.h"
#include "trace.h"
#include "vm.h"

int hypercall_handle(struct vcpu *v)
{
	struct minivmm_run *run = v->run;
	struct vm *vm = v->vm;
	uint64_t gpa = run->hypercall.args[0], len = run->hypercall.args[1];

	trace(v, "hypercall %llu (%#llx, %#llx)\n",
	      (unsigned long long)run->hypercall.nr,
	      (unsigned long long)gpa, (unsigned long long)len);
	switch (run->hypercall.nr) {
	case VMM_HC_CONSOLE_WRITE:
		if (gpa > vm->mem_size || len > vm->mem_size - gpa) {
			run->hypercall.ret = VMM_HC_EINVAL;
			return VCPU_GO_ON;
		}
		fwrite(vm->mem + gpa, 1, len, stdout);
		fflush(stdout);
		run->hypercall.ret = len;
		return VCPU_GO_ON;
	case VMM_HC_EXIT:
		return gpa & 0xff;
	default:
		run->hypercall.ret = VMM_HC_ENOSYS;
		return VCPU_GO_ON;
	}
}
