/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor under vmm: minivmm (/dev/minivmm, the default) or Linux
 * KVM (/dev/kvm, --accel kvm). Both APIs have the same shape (system fd,
 * VM fd, VCPU fd with an mmap'd run page), so vmm's loaders and device
 * models run unchanged on either: that is what lets tests compare the two.
 *
 * vmm's own view of a VCPU uses minivmm's structures (include/uapi): the
 * KVM backend converts registers, and translates each kvm_run exit into a
 * struct minivmm_run before vmm handles it.
 */
#ifndef VMM_ACCEL_H
#define VMM_ACCEL_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/minivmm.h>

struct vm;
struct vcpu;

struct accel {
	const char *name;	/* "minivmm" or "kvm": --accel NAME */
	/* Open and check the system fd; -1 after a one-line message. */
	int (*open)(void);
	/* Print the API version and capabilities (--info). */
	void (*info)(int sys_fd);
	/* vm->vm_fd; 0, or -1 with errno. */
	int (*create_vm)(struct vm *vm);
	/*
	 * Back guest-physical [gpa, gpa + size) with hva, read-only (guest
	 * writes exit as MMIO) if readonly; 0 or -1, errno.
	 */
	int (*set_memory)(struct vm *vm, unsigned int slot, uint64_t gpa,
			  uint64_t size, void *hva, bool readonly);
	/* v->fd, v->run and v->immediate_exit; 0, or -1 with errno. */
	int (*create_vcpu)(struct vm *vm, struct vcpu *v);
	/* Run until an exit for userspace: 0, or -1 with errno (EINTR). */
	int (*run)(struct vcpu *v);
	int (*get_regs)(struct vcpu *v, struct minivmm_regs *regs);
	int (*set_regs)(struct vcpu *v, const struct minivmm_regs *regs);
	int (*get_sregs)(struct vcpu *v, struct minivmm_sregs *sregs);
	int (*set_sregs)(struct vcpu *v, const struct minivmm_sregs *sregs);
	/* MINIVMM_GUESTDBG_* flags (--gdb); 0 or -1 with errno. */
	int (*set_guest_debug)(struct vcpu *v, uint32_t flags);
	/*
	 * An external interrupt, vector vec, for the guest (MINIVMM_INTERRUPT,
	 * KVM_INTERRUPT): 0, or -1 with errno. Only when the last exit said
	 * run->ready_for_interrupt_injection.
	 */
	int (*interrupt)(struct vcpu *v, uint32_t vec);
	/*
	 * Give the VCPU the PC's processor (cpuid.h) for a Linux guest, built
	 * from what this hypervisor supports and the TSC's frequency: 0, or -1
	 * with errno.
	 */
	int (*set_cpuid_pc)(struct vm *vm, struct vcpu *v);
	/* The kernel's counters for a VCPU (NULL: the backend has none). */
	int (*get_stats)(struct vcpu *v, struct minivmm_vcpu_stats *st);
	/*
	 * Or the backend's own counters, printed as "stats vcpuN NAME VALUE"
	 * under its names: 0, or -1 with errno.
	 */
	int (*print_stats)(struct vcpu *v, unsigned int index);
	void (*destroy_vcpu)(struct vcpu *v);
};

extern const struct accel accel_minivmm, accel_kvm;

/* The backend named name, or NULL. */
const struct accel *accel_find(const char *name);

#endif
