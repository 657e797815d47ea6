# minivmm: top-level Makefile.
#
#   make            build the module, vmm, the guests and the tests
#   make deps       install what the build and the tests need (root, apt-get)
#   make demo       boot the test machine and show minivmm working
#   make check      every test: host unit tests, lint, test-machine boots
#                   (Debian 6.1 and 6.12 from bookworm-backports, in parallel)
#   make lint       checkpatch --strict and sparse (6.1 and 6.12) on the kernel code
#   make install    vmm, vmm-run, man pages, uapi header, udev rule (PREFIX=/usr/local, DESTDIR)
#   make uninstall  removes what make install put there
#   make dkms-install   the module for every kernel with headers, with DKMS (root)
#   make deb        Debian packages minivmm-dkms and vmm (build/deb/)
#   make install-udev   /dev/minivmm for the group minivmm (root)
#   make bench      minivmm against KVM in one test-machine boot (build/bench/)
#   make vm-main MACHINE=qemu-kvm   the main suite under QEMU with KVM
#   make vm-main-6.12               the main suite on the 6.12 kernel
#   make KDIR=...   build the module against another kernel tree
#
# The development and CI machines have no VT-x: the module runs only in the
# emulated test machine (tests/vm/run). Never insmod it on such a host.

CACHE ?= /var/cache/minivmm
export MINIVMM_CACHE := $(CACHE)

# The test machine's kernel: the newest installed 6.1 headers (make deps
# installs the ones matching Debian's current linux-image-amd64).
TM_KVER ?= $(shell ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
TM_KDIR := /usr/src/linux-headers-$(TM_KVER)
TM_KERNEL := $(CACHE)/kernel-$(TM_KVER)
# gdb in the test machine (gdb_test.sh): gdb-minimal, unpacked by install-deps.
TM_GDB := $(CACHE)/gdb-minimal/usr/bin/gdb
# The second test-machine kernel: 6.12 LTS from bookworm-backports, whose
# headers make deps unpacks into the cache (they are not installed).
TM612_KVER ?= $(shell ls -d $(CACHE)/headers-6.12.*-amd64 2>/dev/null | \
		sed 's|.*/headers-||' | sort -V | tail -n 1)
TM612_KDIR := $(CACHE)/headers-$(TM612_KVER)/usr/src/linux-headers-$(TM612_KVER)
TM612_KERNEL := $(CACHE)/kernel-$(TM612_KVER)

RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
KDIR ?= $(if $(wildcard $(RUNNING_KDIR)),$(RUNNING_KDIR),$(TM_KDIR))

CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Werror -Iinclude/uapi
# The release, written once: VERSION (the module's MODULE_VERSION too).
VERSION := $(shell cat VERSION)
CFLAGS += -DMINIVMM_VERSION='"$(VERSION)"'
# Everything that goes into the test machine's initramfs is static.
STATIC := -static

# The PC's devices (vmm/devices/), pure device models with unit tests.
VMM_DEVICES := vmm/devices/i8259.c vmm/devices/i8254.c vmm/devices/mc146818.c \
	vmm/devices/i8042.c vmm/devices/legacy.c
VMM_SRCS := vmm/main.c vmm/options.c vmm/vm.c vmm/bus.c vmm/devices/uart16550.c \
	vmm/devices/exitport.c vmm/hypercall.c vmm/report.c vmm/trace.c vmm/guestmem.c \
	vmm/loader.c vmm/accel_minivmm.c vmm/accel_kvm.c vmm/privs.c vmm/entrycheck.c \
	vmm/gdbstub.c vmm/disasm.c kmod/decode.c vmm/interrupts.c vmm/console.c vmm/linux.c vmm/cpuid.c vmm/readfile.c \
	vmm/vmlinux.c $(VMM_DEVICES)
KSFT_TESTS := dev_test lifecycle_test run_test hostsafe_test events_test badstate_test fuzz_test fdpass_test kill_test isolation_test \
	smp_test counters_test kvm_test hotplug_test novmx_test dmesg_test
KSFT_BINS := $(addprefix tests/kselftest/,$(KSFT_TESTS))
KSFT_LIB := tests/lib/mvtest.c tests/lib/splat.c vmm/entrycheck.c
UNIT_TESTS := check_splat check_options check_bus check_uart16550 check_exitport check_loader \
	check_decode check_pagewalk check_entrycheck check_gdbstub check_disasm \
	check_i8259 check_i8254 check_mc146818 check_i8042 check_legacy check_console check_linux check_cpio check_cpuid check_vmlinux
UNIT_BINS := $(addprefix tests/unit/,$(UNIT_TESTS))
# vmm unpacks kernels itself (vmm/vmlinux.c): xz, zstd, gzip.
UNPACK_LIBS := -llzma -lzstd -lz
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

KMOD_SRCS := $(filter-out %.mod.c,$(wildcard kmod/*.c kmod/*.h kmod/*.S)) kmod/Kbuild Kbuild include/uapi/linux/minivmm.h VERSION

.PHONY: all module vmm tests guests deps check check-run demo lint sparse clean \
	initrd initrd-6.12 unit vm-main vm-main-6.12 install-udev bench install uninstall \
	dkms-build dkms-install dkms-uninstall deb

all: module vmm tests guests

module:
	@test -d "$(KDIR)" || { echo "make: KDIR=$(KDIR) does not exist: run 'make deps' (or give KDIR=)"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

vmm: vmm/vmm vmm/vmm-run

# The pure kmod/ headers vmm shares with the module.
SHARED_HDRS := kmod/decode.h kmod/pagewalk.h kmod/exit_reasons.h tests/lib/ktypes.h

vmm/vmm: $(VMM_SRCS) $(wildcard vmm/*.h vmm/devices/*.h) $(SHARED_HDRS) include/uapi/linux/minivmm.h VERSION
	$(CC) $(CPPFLAGS) $(CFLAGS) -pthread $(STATIC) $(LDFLAGS) -o $@ $(VMM_SRCS) -lcap $(UNPACK_LIBS)

# One command in a fresh Linux guest (scripted runs): vmm and busybox.
vmm/vmm-run: vmm/vmm-run.c vmm/cpio.c vmm/cpio.h vmm/readfile.c vmm/readfile.h VERSION
	$(CC) $(CPPFLAGS) $(CFLAGS) $(STATIC) $(LDFLAGS) -o $@ vmm/vmm-run.c vmm/cpio.c vmm/readfile.c

# Guests: flat real-mode images load at 0x7c00 like a boot sector; ELF
# guests load at 1 MiB (32-bit protected mode, or 64-bit C with guests/rt).
GUESTS := guests/hello.img guests/loop.img guests/triple.img guests/mmio.img guests/timer.img guests/reset.img guests/halt.img guests/rtc.img guests/echo.img \
	guests/pm32.img guests/hello64.img guests/smp64.img
# Images only a test can drive (not vmm guests): /tests/ in the machine.
TEST_IMAGES := guests/probe.img guests/debug64.img guests/badmmio.img tests/bench/bench64.img
GUEST_CFLAGS := -O2 -Wall -Wextra -Werror -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -mno-red-zone -mgeneral-regs-only -nostdlib -static
guests: $(GUESTS) $(TEST_IMAGES)

guests/pm32.img: guests/pm32.S
	$(CC) -m32 -c -o guests/pm32.o $<
	$(LD) -m elf_i386 -N -Ttext=0x100000 --no-warn-rwx-segments -e _start -o $@ guests/pm32.o

GUEST_LINK := -Wl,-N,--no-warn-rwx-segments -Wl,-Ttext=0x100000 -Wl,-e,_start -Wl,--build-id=none
guests/%.img: guests/%.c guests/rt/rt.c guests/rt/guest.h
	$(CC) $(GUEST_CFLAGS) $(GUEST_LINK) -o $@ $< guests/rt/rt.c

# Benchmarks (make bench): a guest, and its compute loop run natively.
tests/bench/bench64.img: tests/bench/bench64.c tests/bench/compute.h guests/rt/rt.c guests/rt/guest.h
	$(CC) $(GUEST_CFLAGS) $(GUEST_LINK) -o $@ $< guests/rt/rt.c

tests/bench/bench_native: tests/bench/native.c tests/bench/compute.h
	$(CC) $(CFLAGS) $(STATIC) -o $@ $<

tests/bench/guest_tsc: tests/bench/guest_tsc.c tests/bench/compute.h
	$(CC) $(CFLAGS) $(STATIC) -o $@ $<

tests/bench/bench_lifecycle: tests/bench/lifecycle.c tests/bench/compute.h include/uapi/linux/minivmm.h
	$(CC) $(CFLAGS) $(STATIC) -o $@ $<

# Flat guests may #include guests/rt16.inc (real-mode macros: start, 8259A, UART).
guests/%.img: guests/%.S guests/rt16.inc
	$(CC) -m32 -c -o guests/$*.o $<
	$(LD) -m elf_i386 -Ttext=0x7c00 --oformat binary -e _start -o $@ guests/$*.o

tests: $(KSFT_BINS) $(UNIT_BINS) tests/vm/runas tests/bench/bench_native tests/bench/bench_lifecycle tests/bench/guest_tsc

tests/vm/runas: tests/vm/runas.c
	$(CC) $(CFLAGS) $(STATIC) -o $@ $<

# The harness macros compare mixed signedness and take unused parameters.
$(KSFT_BINS): tests/kselftest/%: tests/kselftest/%.c $(KSFT_LIB) $(wildcard tests/lib/*.h) vmm/entrycheck.h include/uapi/linux/minivmm.h
	@test -r $(CACHE)/kselftest/kselftest_harness.h || { echo "make: no kselftest harness in $(CACHE): run 'make deps'"; exit 1; }
	$(CC) $(CFLAGS) -Wno-unused-parameter -Wno-sign-compare -I$(CACHE)/kselftest $(STATIC) -o $@ $< $(KSFT_LIB)

UNIT_DEPS := tests/lib/splat.c vmm/options.c vmm/bus.c vmm/devices/uart16550.c \
	vmm/devices/exitport.c vmm/loader.c kmod/decode.c vmm/entrycheck.c \
	vmm/gdbstub.c vmm/guestmem.c vmm/disasm.c vmm/console.c vmm/cpio.c vmm/linux.c vmm/cpuid.c vmm/vmlinux.c vmm/readfile.c $(VMM_DEVICES)
$(UNIT_BINS): tests/unit/%: tests/unit/%.c $(UNIT_DEPS) $(wildcard vmm/*.h vmm/devices/*.h tests/lib/*.h) tests/unit/unit.h $(SHARED_HDRS)
	$(CC) $(CFLAGS) -o $@ $< $(UNIT_DEPS) $(CHECK_LIBS) $(UNPACK_LIBS)

deps:
	@tests/install-deps.sh > /dev/null

# --- DKMS (docs/install.md) ------------------------------------------------
# The module's DKMS source: exactly the files the module is built from, and
# dkms.conf with the version filled in. /usr/src/minivmm-VERSION holds it
# once installed.
DKMS_SRC := build/dkms/src/minivmm-$(VERSION)
$(DKMS_SRC)/dkms.conf: $(KMOD_SRCS) dkms.conf.in
	rm -rf $(DKMS_SRC) && mkdir -p $(DKMS_SRC)/kmod $(DKMS_SRC)/include/uapi/linux
	cp Kbuild VERSION $(DKMS_SRC)/
	cp $(filter kmod/%,$(KMOD_SRCS)) $(DKMS_SRC)/kmod/
	cp include/uapi/linux/minivmm.h $(DKMS_SRC)/include/uapi/linux/
	sed 's/@VERSION@/$(VERSION)/' dkms.conf.in > $@

# $(call dkms_module,KO,KVER,KDIR): `dkms build` of that source for kernel
# KVER against the headers in KDIR, in a DKMS tree of its own under build/
# (nothing on the host changes), the module it builds copied to KO.
define dkms_module
	@test -d "$(3)" || { echo "make: no kernel headers in '$(3)': run 'make deps'"; exit 1; }
	rm -rf build/dkms/tree-$(2) && mkdir -p build/dkms/tree-$(2)
	dkms add --sourcetree $(CURDIR)/build/dkms/src --dkmstree $(CURDIR)/build/dkms/tree-$(2) \
		-m minivmm -v $(VERSION) > build/dkms/tree-$(2).log
	dkms build --sourcetree $(CURDIR)/build/dkms/src --dkmstree $(CURDIR)/build/dkms/tree-$(2) \
		-m minivmm -v $(VERSION) -k $(2) --kernelsourcedir $(3) >> build/dkms/tree-$(2).log || \
		{ cat build/dkms/tree-$(2).log build/dkms/tree-$(2)/minivmm/$(VERSION)/build/make.log; exit 1; }
	mkdir -p $(dir $(1))
	cp build/dkms/tree-$(2)/minivmm/$(VERSION)/$(2)/x86_64/module/minivmm.ko $(1)
endef

# The module DKMS builds for a kernel: `make dkms-build KVER=... KDIR=...`.
dkms-build: $(DKMS_SRC)/dkms.conf
	$(call dkms_module,build/dkms/minivmm-$(KVER).ko,$(KVER),$(KDIR))

# Install for every kernel with headers (/lib/modules/*/build), and DKMS
# builds it for each new kernel (AUTOINSTALL). Root. DKMS_OPTS passes more
# dkms options (the test's own --dkmstree and --installtree).
DKMS_SOURCETREE ?= /usr/src
DKMS := dkms $(DKMS_OPTS) --sourcetree $(DKMS_SOURCETREE)
dkms-install: $(DKMS_SRC)/dkms.conf
	rm -rf $(DKMS_SOURCETREE)/minivmm-$(VERSION) && mkdir -p $(DKMS_SOURCETREE)
	cp -r $(DKMS_SRC) $(DKMS_SOURCETREE)/
	$(DKMS) add -m minivmm -v $(VERSION)
	for b in /lib/modules/*/build; do \
		[ -d "$$b" ] || continue; k=$${b%/build}; k=$${k##*/}; \
		$(DKMS) install -m minivmm -v $(VERSION) -k $$k || exit 1; \
	done

dkms-uninstall:
	-$(DKMS) remove -m minivmm -v $(VERSION) --all
	rm -rf $(DKMS_SOURCETREE)/minivmm-$(VERSION)

# --- The test machine ---------------------------------------------------
# The module the test machines load is the one DKMS builds for their
# kernels, against their own headers whatever KDIR is: what a lab's
# `make dkms-install` builds is what make check tests.
TM_BUILD := build/tm
TM_KO := $(TM_BUILD)/minivmm.ko
INITRD := $(TM_BUILD)/initrd.gz
TM612_BUILD := build/tm612
TM612_KO := $(TM612_BUILD)/minivmm.ko
INITRD612 := $(TM612_BUILD)/initrd.gz

$(TM_KO): $(DKMS_SRC)/dkms.conf
	$(call dkms_module,$@,$(TM_KVER),$(TM_KDIR))

$(TM612_KO): $(DKMS_SRC)/dkms.conf
	$(call dkms_module,$@,$(TM612_KVER),$(TM612_KDIR))

initrd: $(INITRD)
initrd-6.12: $(INITRD612)

$(INITRD): $(TM_KO) vmm/vmm vmm/vmm-run $(KSFT_BINS) tests/vm/runas tests/bench/bench_native tests/bench/bench_lifecycle tests/bench/guest_tsc $(GUESTS) $(TEST_IMAGES) tests/vm/init tests/vm/mkinitramfs.sh \
		$(wildcard tests/vm/suites/* tests/vm/*.sh) udev/99-minivmm.rules
	rm -rf $(TM_BUILD)/stage
	mkdir -p $(TM_BUILD)/stage/lib/modules/extra $(TM_BUILD)/stage/usr/bin \
		$(TM_BUILD)/stage/tests/suites
	cp $(TM_KO) $(TM_BUILD)/stage/lib/modules/extra/
	cp vmm/vmm vmm/vmm-run $(TM_BUILD)/stage/usr/bin/
	# The test machine's own kernel, to boot as a guest (vmm-run's default).
	mkdir -p $(TM_BUILD)/stage/boot
	cp $(TM_KERNEL)/boot/vmlinuz-$(TM_KVER) $(TM_BUILD)/stage/boot/
	cp $(KSFT_BINS) tests/vm/runas tests/bench/bench_native tests/bench/bench_lifecycle tests/bench/guest_tsc tests/vm/*.sh udev/99-minivmm.rules \
		$(TEST_IMAGES) $(TM_BUILD)/stage/tests/
	cp tests/vm/suites/* $(TM_BUILD)/stage/tests/suites/
	mkdir -p $(TM_BUILD)/stage/guests && cp $(GUESTS) $(TM_BUILD)/stage/guests/
	tests/vm/mkinitramfs.sh $@ $(TM_KERNEL)/lib/modules/$(TM_KVER) $(TM_BUILD)/stage $(TM_GDB)

# The 6.12 initramfs: the same files, with the module and KVM of 6.12.
$(INITRD612): $(TM612_KO) $(INITRD)
	rm -rf $(TM612_BUILD)/stage && cp -a $(TM_BUILD)/stage $(TM612_BUILD)/stage
	rm -f $(TM612_BUILD)/stage/boot/* && cp $(TM612_KERNEL)/boot/vmlinuz-$(TM612_KVER) $(TM612_BUILD)/stage/boot/
	cp $(TM612_KO) $(TM612_BUILD)/stage/lib/modules/extra/
	tests/vm/mkinitramfs.sh $@ $(TM612_KERNEL)/lib/modules/$(TM612_KVER) $(TM612_BUILD)/stage $(TM_GDB)

VMRUN = tests/vm/run --kernel $(TM_KERNEL)/boot/vmlinuz-$(TM_KVER) --initrd $(INITRD)
VMRUN612 = tests/vm/run --kernel $(TM612_KERNEL)/boot/vmlinuz-$(TM612_KVER) --initrd $(INITRD612)

# --- The README's two commands --------------------------------------------
# Both install what they need first, then re-enter make so that the kernel
# version is resolved from what is installed.
demo:
	@tests/install-deps.sh > /dev/null
	@$(MAKE) --no-print-directory all initrd
	@$(VMRUN) --suite demo --show --out build/vm/demo

check:
	@tests/install-deps.sh > /dev/null
	@$(MAKE) --no-print-directory check-run

check-run: all initrd initrd-6.12
	@tests/check.sh "$(VMRUN)" "$(VMRUN612)"

# The main suite on any machine the launcher knows, e.g. on a lab VM with
# nested KVM: make vm-main MACHINE=qemu-kvm
MACHINE ?= bochs
vm-main: all initrd
	@$(VMRUN) --machine $(MACHINE) --suite main --out build/vm/main-$(MACHINE)

# The same on the 6.12 kernel.
vm-main-6.12: all initrd-6.12
	@$(VMRUN612) --machine $(MACHINE) --suite main --out build/vm/main-$(MACHINE)-6.12

# Benchmarks against KVM in one boot of the test machine (1 CPU: steadier
# figures): build/bench/results.{txt,csv,png}. Its initramfs has the test
# machine's files without gdb (which slows the compute loop measurably,
# docs/performance.md) and, in a second archive the kernel unpacks after the
# first, the Linux boot's third peer: QEMU with KVM (50 MB more unpacked,
# so 1 GiB of memory).
BENCH_INITRD := $(TM_BUILD)/initrd-bench.gz
$(TM_BUILD)/qemu.cpio.gz: tests/vm/mkqemu.sh $(shell command -v qemu-system-x86_64)
	tests/vm/mkqemu.sh $@
$(BENCH_INITRD): $(INITRD) $(TM_BUILD)/qemu.cpio.gz
	tests/vm/mkinitramfs.sh $(TM_BUILD)/initrd-nogdb.gz $(TM_KERNEL)/lib/modules/$(TM_KVER) $(TM_BUILD)/stage
	cat $(TM_BUILD)/initrd-nogdb.gz $(TM_BUILD)/qemu.cpio.gz > $@
bench: all $(BENCH_INITRD)
	@tests/vm/run --kernel $(TM_KERNEL)/boot/vmlinuz-$(TM_KVER) --initrd $(BENCH_INITRD) \
		--suite bench --cpus 1 --mem 1024 --timeout 3600 --out build/vm/bench
	@tests/bench/report.sh build/vm/bench/results.tap build/bench

# --- Installing (docs/install.md) ------------------------------------------
# vmm, vmm-run, their man pages and minivmm(4), the uapi header and the udev
# rule; the module goes in with DKMS (make dkms-install). DESTDIR and PREFIX
# as packagers expect; udev reads its rules from fixed places, not PREFIX.
PREFIX ?= /usr/local
BINDIR := $(PREFIX)/bin
MANDIR := $(PREFIX)/share/man
INCLUDEDIR := $(PREFIX)/include
UDEVRULESDIR ?= /lib/udev/rules.d
INSTALLED := $(BINDIR)/vmm $(BINDIR)/vmm-run $(MANDIR)/man1/vmm.1 $(MANDIR)/man1/vmm-run.1 \
	$(MANDIR)/man4/minivmm.4 $(INCLUDEDIR)/linux/minivmm.h $(UDEVRULESDIR)/99-minivmm.rules

install: vmm/vmm vmm/vmm-run
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man4 \
		$(DESTDIR)$(INCLUDEDIR)/linux $(DESTDIR)$(UDEVRULESDIR)
	install -m 0755 vmm/vmm vmm/vmm-run $(DESTDIR)$(BINDIR)/
	install -m 0644 man/vmm.1 man/vmm-run.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/minivmm.4 $(DESTDIR)$(MANDIR)/man4/
	install -m 0644 include/uapi/linux/minivmm.h $(DESTDIR)$(INCLUDEDIR)/linux/
	install -m 0644 udev/99-minivmm.rules $(DESTDIR)$(UDEVRULESDIR)/

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))

# The Debian packages a lab installs (docs/install.md): minivmm-dkms and
# vmm, built with debhelper and dh-dkms from a copy of the tracked files in
# build/deb/minivmm-VERSION; debian/changelog is written there from VERSION.
deb:
	rm -rf build/deb && mkdir -p build/deb/minivmm-$(VERSION)
	if [ -d .git ]; then git ls-files -z | xargs -0 cp --parents -t build/deb/minivmm-$(VERSION); \
	else tar -c --exclude=./build . | tar -x -C build/deb/minivmm-$(VERSION); fi
	printf 'minivmm (%s) unstable; urgency=medium\n\n  * Release %s (VERSION).\n\n -- %s  %s\n' \
		$(VERSION) $(VERSION) "minivmm developers <minivmm@lists.invalid>" "$$(date -R)" \
		> build/deb/minivmm-$(VERSION)/debian/changelog
	cd build/deb/minivmm-$(VERSION) && dpkg-buildpackage -us -uc -b
	ls build/deb/*.deb

# Let the members of group minivmm use /dev/minivmm (docs/vmm.md).
install-udev:
	getent group minivmm >/dev/null || groupadd --system minivmm
	install -m 0644 udev/99-minivmm.rules /etc/udev/rules.d/99-minivmm.rules
	-udevadm control --reload && udevadm trigger --sysname-match=minivmm

unit: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do ./$$t || exit 1; done

# --- Kernel style -----------------------------------------------------------
# ... and the module's files form a stack: no circle of calls, none over
# 600 lines (read from the objects the sparse build leaves).
lint: sparse
	$(CACHE)/checkpatch/checkpatch.pl --strict --no-tree --show-types \
		-f $(filter %.c %.h %.S,$(KMOD_SRCS))
	tests/lint/layers.sh $(TM_BUILD)/sparse/kmod

# Against both test-machine kernels: $(call tm_sparse,BUILD-DIR,KDIR)
define tm_sparse
	@test -d "$(2)" || { echo "make: no test-machine kernel headers in '$(2)': run 'make deps'"; exit 1; }
	rm -rf $(1)/sparse && mkdir -p $(1)/sparse
	cp -r $(DKMS_SRC)/. $(1)/sparse/
	$(MAKE) -C $(2) M=$(CURDIR)/$(1)/sparse C=2 CF="-D__CHECK_ENDIAN__" modules 2>&1 | \
		tee $(1)/sparse.log
	@! grep -E '^\S+:[0-9]+:[0-9]+: (warning|error)' $(1)/sparse.log
endef

sparse: $(DKMS_SRC)/dkms.conf
	@command -v sparse >/dev/null || { echo "make: sparse missing: run 'make deps'"; exit 1; }
	$(call tm_sparse,$(TM_BUILD),$(TM_KDIR))
	$(call tm_sparse,$(TM612_BUILD),$(TM612_KDIR))

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf build vmm/vmm vmm/vmm-run $(KSFT_BINS) $(UNIT_BINS) tests/vm/runas tests/bench/bench_native tests/bench/bench_lifecycle \
		tests/bench/guest_tsc tests/bench/*.img guests/*.img guests/*.o
