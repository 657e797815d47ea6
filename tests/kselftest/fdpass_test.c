// SPDX-License-Identifier: GPL-2.0
/*
 * A VM or VCPU fd passed over a unix socket (SCM_RIGHTS) to another
 * process: every VM and VCPU ioctl gives -EIO there, and so does mmap of
 * the run area (KVM allows that mmap; minivmm refuses it, see
 * include/uapi/linux/minivmm.h). The owner's VM is untouched, and the
 * other process may hold the last reference: closing it frees everything.
 *
 * Two receivers: a child forked before the VM existed, and a child that
 * exec'd this program afresh (MV_FDPASS_SOCK in its environment).
 * Runs in the test machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/minivmm.h>

#include "kselftest_harness.h"
#include "../lib/mvtest.h"

#define MEM_SIZE	(1UL << 20)
#define CODE_ADDR	0x7c00

enum { OP_SET_MEMORY_REGION, OP_CREATE_VCPU, OP_RUN, OP_GET_REGS, OP_SET_REGS,
	OP_GET_SREGS, OP_SET_SREGS, OP_SET_CPUID, OP_GET_MSRS, OP_SET_MSRS,
	OP_INTERRUPT, OP_NMI, OP_GET_EVENTS, OP_SET_EVENTS, OP_MMAP, NR_OPS };

static const char *const op_name[NR_OPS] = {
	"SET_MEMORY_REGION", "CREATE_VCPU", "RUN", "GET_REGS", "SET_REGS",
	"GET_SREGS", "SET_SREGS", "SET_CPUID", "GET_MSRS", "SET_MSRS",
	"INTERRUPT", "NMI", "GET_VCPU_EVENTS", "SET_VCPU_EVENTS",
	"mmap of the run area",
};

struct result {
	int ret;	/* the call's return value (mmap: 0 if it worked) */
	int err;	/* errno when ret is -1 */
};

static int send_fds(int sock, const int *fds, int n)
{
	char buf[CMSG_SPACE(4 * sizeof(int))] = { 0 };
	char byte = 'F';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = buf, .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fds(int sock, int *fds, int n)
{
	char buf[CMSG_SPACE(4 * sizeof(int))];
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = buf, .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *c;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(n * sizeof(int)))
		return -1;
	memcpy(fds, CMSG_DATA(c), n * sizeof(int));
	return 0;
}

/* In the receiving process: try everything on the fds, send the results. */
static int receiver(int sock)
{
	struct minivmm_msr_entry msr = { .index = 0x277, .data = 0x0007040600070406ULL };
	struct minivmm_msrs msrs = { .nmsrs = 1, .entries = (uintptr_t)&msr };
	struct minivmm_cpuid cpuid = { .nent = 0 };
	struct minivmm_memory_region r;
	struct result res[NR_OPS];
	struct minivmm_sregs sr;
	struct minivmm_regs regs;
	struct minivmm_interrupt irq = { .irq = 0x20 };
	struct minivmm_vcpu_events ev = { 0 };
	int fds[2], i;
	char cmd;
	void *mem, *p;

	if (recv_fds(sock, fds, 2))
		return 10;
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 11;
	memset(&regs, 0, sizeof(regs));
	regs.rax = 0xdead;
	regs.rip = 0x1234;
	memset(&sr, 0, sizeof(sr));
	r = (struct minivmm_memory_region){ .slot = 1, .guest_phys_addr = 0x400000,
		.memory_size = MEM_SIZE, .userspace_addr = (uintptr_t)mem };
	for (i = 0; i < NR_OPS; i++) {
		errno = 0;
		switch (i) {
		case OP_SET_MEMORY_REGION:
			res[i].ret = ioctl(fds[0], MINIVMM_SET_MEMORY_REGION, &r);
			break;
		case OP_CREATE_VCPU:
			res[i].ret = ioctl(fds[0], MINIVMM_CREATE_VCPU, 1);
			break;
		case OP_RUN:
			res[i].ret = ioctl(fds[1], MINIVMM_RUN, 0);
			break;
		case OP_GET_REGS:
			res[i].ret = ioctl(fds[1], MINIVMM_GET_REGS, &regs);
			break;
		case OP_SET_REGS:
			res[i].ret = ioctl(fds[1], MINIVMM_SET_REGS, &regs);
			break;
		case OP_GET_SREGS:
			res[i].ret = ioctl(fds[1], MINIVMM_GET_SREGS, &sr);
			break;
		case OP_SET_SREGS:
			res[i].ret = ioctl(fds[1], MINIVMM_SET_SREGS, &sr);
			break;
		case OP_SET_CPUID:
			res[i].ret = ioctl(fds[1], MINIVMM_SET_CPUID, &cpuid);
			break;
		case OP_GET_MSRS:
			res[i].ret = ioctl(fds[1], MINIVMM_GET_MSRS, &msrs);
			break;
		case OP_SET_MSRS:
			res[i].ret = ioctl(fds[1], MINIVMM_SET_MSRS, &msrs);
			break;
		case OP_INTERRUPT:
			res[i].ret = ioctl(fds[1], MINIVMM_INTERRUPT, &irq);
			break;
		case OP_NMI:
			res[i].ret = ioctl(fds[1], MINIVMM_NMI, 0);
			break;
		case OP_GET_EVENTS:
			res[i].ret = ioctl(fds[1], MINIVMM_GET_VCPU_EVENTS, &ev);
			break;
		case OP_SET_EVENTS:
			res[i].ret = ioctl(fds[1], MINIVMM_SET_VCPU_EVENTS, &ev);
			break;
		case OP_MMAP:
			p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fds[1], 0);
			res[i].ret = p == MAP_FAILED ? -1 : 0;
			break;
		}
		res[i].err = res[i].ret == -1 ? errno : 0;
	}
	if (write(sock, res, sizeof(res)) != sizeof(res))
		return 12;
	/* Hold the fds until the owner says to close them. */
	if (read(sock, &cmd, 1) != 1)
		return 13;
	close(fds[0]);
	close(fds[1]);
	return 0;
}

/* The exec'd receiver: this program run again with MV_FDPASS_SOCK=fd. */
__attribute__((constructor)) static void exec_receiver(void)
{
	const char *s = getenv("MV_FDPASS_SOCK");

	if (s)
		_exit(receiver(atoi(s)));
}

/* Start a receiver before any VM exists; returns its pid, *sock our end. */
static pid_t start_receiver(bool exec, int *sock)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	pid = fork();
	if (pid == 0) {
		char num[16];

		close(sv[0]);
		if (!exec)
			_exit(receiver(sv[1]));
		snprintf(num, sizeof(num), "%d", sv[1]);
		setenv("MV_FDPASS_SOCK", num, 1);
		execl("/proc/self/exe", "fdpass_receiver", (char *)NULL);
		_exit(14);
	}
	close(sv[1]);
	*sock = sv[0];
	return pid;
}

/* The owner's VM: 1 MiB at 0 and VCPU 0 about to run a HLT at 0x7c00. 0 or -errno. */
static int owner_setup(struct mv_vm *o)
{
	static const uint8_t hlt = 0xf4;
	int r = mv_vm_open(o, MEM_SIZE);

	if (!r) {
		r = mv_vm_load_real(o, CODE_ADDR, &hlt, 1);
		if (r)
			mv_vm_close(o);
	}
	return r;
}

static void every_op_is_eio(struct __test_metadata *_metadata, bool exec)
{
	struct result res[NR_OPS];
	struct minivmm_regs regs;
	struct mv_vm o;
	int sock, status, fds[2], i, r;
	pid_t pid;

	ASSERT_EQ(0, mv_load());
	pid = start_receiver(exec, &sock);
	ASSERT_LT(0, pid);
	r = owner_setup(&o);
	ASSERT_EQ(0, r) TH_LOG("%s", strerror(-r));
	fds[0] = o.vm;
	fds[1] = o.vcpu;
	ASSERT_EQ(0, send_fds(sock, fds, 2));
	ASSERT_EQ(sizeof(res), read(sock, res, sizeof(res)));
	for (i = 0; i < NR_OPS; i++) {
		EXPECT_EQ(-1, res[i].ret) TH_LOG("%s returned %d", op_name[i], res[i].ret);
		EXPECT_EQ(EIO, res[i].err) TH_LOG("%s: errno %d", op_name[i], res[i].err);
	}
	/* Nothing the other process tried reached the VM. */
	EXPECT_EQ(1, mv_counter("vmcs"));
	ASSERT_EQ(0, ioctl(o.vcpu, MINIVMM_GET_REGS, &regs));
	EXPECT_EQ(CODE_ADDR, regs.rip);
	EXPECT_NE(0xdead, regs.rax);
	ASSERT_EQ(0, ioctl(o.vcpu, MINIVMM_RUN, 0)) TH_LOG("RUN: %m");
	EXPECT_EQ(MINIVMM_EXIT_HLT, o.run->exit_reason);
	ASSERT_EQ(1, write(sock, "c", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(sock);
	mv_vm_close(&o);
	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmcs"));
	EXPECT_EQ(0, mv_counter("mapped_pages"));
}

TEST(passed_to_child_forked_before_the_vm)
{
	every_op_is_eio(_metadata, false);
}

TEST(passed_to_exec_d_process)
{
	every_op_is_eio(_metadata, true);
}

/* The owner closes everything first: the other process's close frees the VM. */
TEST(last_reference_in_another_process)
{
	struct result res[NR_OPS];
	struct mv_vm o;
	int sock, status, fds[2];
	pid_t pid;

	ASSERT_EQ(0, mv_load());
	pid = start_receiver(true, &sock);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, owner_setup(&o));
	ASSERT_EQ(0, ioctl(o.vcpu, MINIVMM_RUN, 0));
	ASSERT_EQ(MINIVMM_EXIT_HLT, o.run->exit_reason);
	EXPECT_LE(1, mv_counter("mapped_pages"));
	fds[0] = o.vm;
	fds[1] = o.vcpu;
	ASSERT_EQ(0, send_fds(sock, fds, 2));
	ASSERT_EQ(sizeof(res), read(sock, res, sizeof(res)));
	mv_vm_close(&o);
	EXPECT_EQ(1, mv_counter("vms"));
	EXPECT_EQ(1, mv_counter("vmcs"));
	ASSERT_EQ(1, write(sock, "c", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(sock);
	EXPECT_EQ(0, mv_counter("vms"));
	EXPECT_EQ(0, mv_counter("vmcs"));
	EXPECT_EQ(0, mv_counter("mapped_pages"));
}

TEST_HARNESS_MAIN
