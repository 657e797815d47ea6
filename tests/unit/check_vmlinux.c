// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the kernel unpacked on the host (vmm/vmlinux.c): a
 * made-up bzImage whose payload is a small ELF compressed here with xz,
 * zstd and gzip, as the kernel's build does (the decompressed size
 * appended), and the cache in a scratch directory. The real kernels boot
 * in the test machine (tests/vm/linux_test.sh).
 */
#include <check.h>

#include "unit.h"
#include <elf.h>
#include <lzma.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "../../vmm/vmlinux.h"

static uint8_t elf[3 * 4096];
static uint8_t bz[1024 + sizeof(elf) * 2 + 4096];
static size_t bz_len;
static char err[256];

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void make_elf(void)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)elf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(elf + sizeof(*eh));
	unsigned int i;

	memset(elf, 0, sizeof(elf));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_entry = 0x1000000;	/* phys_startup_64 */
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 1;
	*ph = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = 4096, .p_vaddr = 0xffffffff81000000ULL,
			    .p_paddr = 0x1000000, .p_filesz = 8192, .p_memsz = 8192 };
	for (i = 4096; i < sizeof(elf); i++)
		elf[i] = (uint8_t)(i * 7);
}

/* A bzImage, protocol 2.15, 1 setup sector, whose payload is the ELF in format f. */
static void make_bzimage(const char *f)
{
	uint8_t *payload = bz + 1024 + 0x100;
	size_t room = sizeof(bz) - 1024 - 0x100 - 4, n = 0;

	memset(bz, 0, sizeof(bz));
	bz[0x1f1] = 1;
	put32(bz + 0x202, 0x53726448);		/* "HdrS" */
	bz[0x206] = 0x0f;
	bz[0x207] = 0x02;
	if (!strcmp(f, "xz")) {
		ck_assert_int_eq(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, elf, sizeof(elf),
							 payload, &n, room), LZMA_OK);
	} else if (!strcmp(f, "zstd")) {
		ZSTD_CCtx *c = ZSTD_createCCtx();

		/* With the content checksum, as the zstd tool writes by default. */
		ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 19);
		ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
		n = ZSTD_compress2(c, payload, room, elf, sizeof(elf));
		ck_assert(!ZSTD_isError(n));
		ZSTD_freeCCtx(c);
	} else {
		z_stream s = { 0 };

		ck_assert_int_eq(deflateInit2(&s, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
					      Z_DEFAULT_STRATEGY), Z_OK);
		s.next_in = elf;
		s.avail_in = sizeof(elf);
		s.next_out = payload;
		s.avail_out = room;
		ck_assert_int_eq(deflate(&s, Z_FINISH), Z_STREAM_END);
		n = s.total_out;
		deflateEnd(&s);
	}
	put32(payload + n, sizeof(elf));	/* the build's size_append */
	put32(bz + 0x248, 0x100);		/* payload_offset, from the protected-mode code */
	put32(bz + 0x24c, n + 4);		/* payload_length */
	bz_len = 1024 + 0x100 + n + 4 + 16;
}

START_TEST(test_finds_and_unpacks_each_format)
{
	static const char *const formats[] = { "xz", "zstd", "gzip" };
	const uint8_t *p;
	size_t plen, out_len;
	uint8_t *out;
	unsigned int i;

	make_elf();
	for (i = 0; i < 3; i++) {
		make_bzimage(formats[i]);
		ck_assert_int_eq(bzimage_payload(bz, bz_len, &p, &plen, &out_len), 0);
		ck_assert_ptr_eq(p, bz + 1024 + 0x100);
		ck_assert_uint_eq(out_len, sizeof(elf));
		ck_assert_str_eq(payload_format(p, plen), formats[i]);
		ck_assert_msg(payload_unpack(p, plen, out_len, &out, err, sizeof(err)) == 0,
			      "%s: %s", formats[i], err);
		ck_assert_mem_eq(out, elf, sizeof(elf));
		free(out);
		/* A damaged payload, or one that is not the size it says: an error. */
		bz[1024 + 0x100 + plen / 2] ^= 0xff;
		ck_assert_int_eq(payload_unpack(p, plen, out_len, &out, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, "corrupt"), "%s", err);
		bz[1024 + 0x100 + plen / 2] ^= 0xff;
		ck_assert_int_eq(payload_unpack(p, plen, out_len - 1, &out, err, sizeof(err)), -1);
	}
	/* A size no kernel has. */
	ck_assert_int_eq(payload_unpack(p, plen, 3U << 30, &out, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "more than 1024 MiB"), "%s", err);
	/* Other formats (lz4 here) are the kernel's own business. */
	ck_assert_ptr_null(payload_format((const uint8_t *)"\x02\x21\x4c\x18", 4));
}
END_TEST

START_TEST(test_payload_fields_must_fit)
{
	const uint8_t *p;
	size_t plen, out_len;

	make_elf();
	make_bzimage("gzip");
	put32(bz + 0x24c, bz_len);		/* longer than the file */
	ck_assert_int_eq(bzimage_payload(bz, bz_len, &p, &plen, &out_len), -1);
	make_bzimage("gzip");
	bz[0x206] = 0x07;			/* protocol 2.07: no payload fields */
	ck_assert_int_eq(bzimage_payload(bz, bz_len, &p, &plen, &out_len), -1);
	ck_assert_int_eq(bzimage_payload(bz, 0x240, &p, &plen, &out_len), -1);
}
END_TEST

START_TEST(test_elf_checks)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)elf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(elf + sizeof(*eh));
	uint64_t entry = 0;

	make_elf();
	ck_assert_msg(vmlinux_check(elf, sizeof(elf), &entry, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(entry, 0x1000000);
	/* A virtual entry is translated through its segment. */
	eh->e_entry = 0xffffffff81000040ULL;
	ck_assert_int_eq(vmlinux_check(elf, sizeof(elf), &entry, err, sizeof(err)), 0);
	ck_assert_uint_eq(entry, 0x1000040);
	eh->e_entry = 0x5000000;
	ck_assert_int_eq(vmlinux_check(elf, sizeof(elf), &entry, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "in no loadable segment"), "%s", err);
	make_elf();
	ph->p_filesz = sizeof(elf);		/* past the end of the file */
	ck_assert_int_eq(vmlinux_check(elf, sizeof(elf), &entry, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "outside the file"), "%s", err);
	make_elf();
	eh->e_phnum = 2000;
	ck_assert_int_eq(vmlinux_check(elf, sizeof(elf), &entry, err, sizeof(err)), -1);
	make_elf();
	eh->e_machine = EM_386;
	ck_assert_int_eq(vmlinux_check(elf, sizeof(elf), &entry, err, sizeof(err)), -1);
	ck_assert_int_eq(vmlinux_check(elf, 10, &entry, err, sizeof(err)), -1);
}
END_TEST

START_TEST(test_cache)
{
	char dir[] = "/tmp/check_vmlinux.XXXXXX", sub[400], path[300];
	struct vmlinux v;
	FILE *f;

	make_elf();
	make_bzimage("xz");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/a/b", dir);	/* made as needed */

	/* A miss: unpacked and stored. */
	ck_assert_int_eq(vmlinux_get(bz, bz_len, sub, &v), 0);
	ck_assert_msg(strstr(v.how, "unpacked (xz), stored in "), "%s", v.how);
	ck_assert_uint_eq(v.len, sizeof(elf));
	ck_assert_mem_eq(v.data, elf, sizeof(elf));
	free(v.data);
	snprintf(path, sizeof(path), "%s", strstr(v.how, "stored in ") + 10);
	ck_assert_int_eq(access(path, R_OK), 0);

	/* A hit. */
	ck_assert_int_eq(vmlinux_get(bz, bz_len, sub, &v), 0);
	ck_assert_msg(strstr(v.how, "from the cache"), "%s", v.how);
	ck_assert_mem_eq(v.data, elf, sizeof(elf));
	free(v.data);

	/* A damaged cache file is not used: unpacked and stored again. */
	f = fopen(path, "r+");
	ck_assert_ptr_nonnull(f);
	fputs("junk", f);
	fclose(f);
	ck_assert_int_eq(vmlinux_get(bz, bz_len, sub, &v), 0);
	ck_assert_msg(strstr(v.how, "stored in"), "%s", v.how);
	ck_assert_mem_eq(v.data, elf, sizeof(elf));
	free(v.data);

	/* Another kernel has another file. */
	make_bzimage("zstd");
	ck_assert_int_eq(vmlinux_get(bz, bz_len, sub, &v), 0);
	ck_assert_msg(strstr(v.how, "unpacked (zstd), stored in"), "%s", v.how);
	free(v.data);

	/* No cache directory, or one that cannot be made: unpacked all the same. */
	ck_assert_int_eq(vmlinux_get(bz, bz_len, NULL, &v), 0);
	ck_assert_str_eq(v.how, "unpacked (zstd), no cache");
	free(v.data);
	snprintf(sub, sizeof(sub), "%s/vmlinux-file/x", path);	/* under a regular file */
	ck_assert_int_eq(vmlinux_get(bz, bz_len, sub, &v), 0);
	ck_assert_msg(strstr(v.how, "not stored in"), "%s", v.how);
	free(v.data);

	/* A payload vmm cannot unpack: the kernel decompresses itself. */
	bz[1024 + 0x100] = 0x02;
	ck_assert_int_eq(vmlinux_get(bz, bz_len, NULL, &v), -1);
	ck_assert_ptr_null(v.data);
	ck_assert_msg(strstr(v.how, "not xz, zstd or gzip"), "%s", v.how);

	ck_assert_int_eq(system("rm -rf /tmp/check_vmlinux.*"), 0);
}
END_TEST

START_TEST(test_cache_dir)
{
	char buf[256];

	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	ck_assert_str_eq(vmlinux_cache_dir(buf, sizeof(buf)), "/x/cache/minivmm");
	setenv("XDG_CACHE_HOME", "relative", 1);	/* the spec: ignore a relative one */
	setenv("HOME", "/home/u", 1);
	ck_assert_str_eq(vmlinux_cache_dir(buf, sizeof(buf)), "/home/u/.cache/minivmm");
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/", 1);
	ck_assert_str_eq(vmlinux_cache_dir(buf, sizeof(buf)), "/.cache/minivmm");
	unsetenv("HOME");
	ck_assert_ptr_null(vmlinux_cache_dir(buf, sizeof(buf)));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vmlinux");
	TCase *tc = tcase_create("vmlinux");

	tcase_add_test(tc, test_finds_and_unpacks_each_format);
	tcase_add_test(tc, test_payload_fields_must_fit);
	tcase_add_test(tc, test_elf_checks);
	tcase_add_test(tc, test_cache);
	tcase_add_test(tc, test_cache_dir);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
