// SPDX-License-Identifier: GPL-2.0
/*
 * The VM object: guest memory (the slots and the EPT, ept.c) and the VCPUs
 * of one virtual machine. It lives while its VM fd (vmfd.c) or any of its
 * VCPU fds is open, and holds VMX operation on (vmx_get) meanwhile; the
 * last reference frees everything it owns. Process context.
 */
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <asm/msr.h>

#include "minivmm.h"
#include "vmx.h"

static atomic64_t vm_ids = ATOMIC64_INIT(0);

/*
 * A new VM of the calling process with one reference, or an ERR_PTR:
 * -ENOSPC when max_vms exist already.
 */
struct minivmm_vm *minivmm_vm_alloc(unsigned int max_vms)
{
	struct minivmm_vm *vm;
	int r;

	if (atomic_inc_return(&minivmm_stats.vms) > max_vms) {
		r = -ENOSPC;
		goto out_count;
	}
	r = vmx_get();
	if (r)
		goto out_count;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm) {
		r = -ENOMEM;
		goto out_vmx;
	}
	vm->id = atomic64_inc_return(&vm_ids);
	/* The guest's TSC starts near 0, the same on all its VCPUs (SDM 26.6.5). */
	vm->tsc_offset = -(s64)rdtsc();
	vm->mm = current->mm;
	mmgrab(vm->mm);
	refcount_set(&vm->refs, 1);
	mutex_init(&vm->lock);
	r = minivmm_ept_init(vm);
	if (r)
		goto out_free;
	return vm;

out_free:
	mmdrop(vm->mm);
	kfree(vm);
out_vmx:
	vmx_put();
out_count:
	atomic_dec(&minivmm_stats.vms);
	return ERR_PTR(r);
}

void minivmm_vm_get(struct minivmm_vm *vm)
{
	refcount_inc(&vm->refs);
}

/* The last reference gone: free the guest memory mappings and VMX. */
void minivmm_vm_put(struct minivmm_vm *vm)
{
	if (!refcount_dec_and_test(&vm->refs))
		return;
	minivmm_ept_destroy(vm);
	mmdrop(vm->mm);
	kfree(vm);
	atomic_dec(&minivmm_stats.vms);
	vmx_put();
}
