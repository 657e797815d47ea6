// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the initramfs cpio writer (vmm/cpio.c). A small newc
 * reader of its own, written from buffer-format.rst, parses the archives
 * back; GNU cpio, when installed, lists one too.
 */
#include <check.h>

#include "unit.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../vmm/cpio.h"

/* The 13 header fields after the magic, in order. */
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_SIZE, F_DEVMAJ, F_DEVMIN,
	F_RDEVMAJ, F_RDEVMIN, F_NAMESIZE, F_CHECK, F_NR };

struct ent {
	uint32_t f[F_NR];
	const char *name;
	const uint8_t *data;
};

#define MAX_ENTS 64
static struct ent ents[MAX_ENTS];

static uint32_t hex8(const uint8_t *p)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		int c = p[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			ck_abort_msg("not a hex digit: 0x%02x", c);
		v = v << 4 | d;
	}
	return v;
}

static void assert_zero(const uint8_t *p, size_t n)
{
	while (n--)
		ck_assert_uint_eq(*p++, 0);
}

/*
 * Parse a whole archive into ents[]: every header and every data start on
 * 4 bytes, padding is zero, the trailer is last and nothing follows it.
 * Returns the number of entries before the trailer.
 */
static int parse(const uint8_t *buf, size_t len)
{
	size_t off = 0;
	int n;

	for (n = 0; ; n++) {
		struct ent *e = &ents[n];
		size_t name_end, data_end;
		int i;

		ck_assert_int_lt(n, MAX_ENTS);
		ck_assert_uint_eq(off % 4, 0);
		ck_assert_uint_le(off + 110, len);
		ck_assert(!memcmp(buf + off, "070701", 6));
		for (i = 0; i < F_NR; i++)
			e->f[i] = hex8(buf + off + 6 + 8 * i);
		ck_assert_uint_ge(e->f[F_NAMESIZE], 2);
		name_end = off + 110 + e->f[F_NAMESIZE];
		ck_assert_uint_le(name_end, len);
		e->name = (const char *)buf + off + 110;
		ck_assert_uint_eq(strnlen(e->name, e->f[F_NAMESIZE]), e->f[F_NAMESIZE] - 1);
		assert_zero(buf + name_end, (4 - name_end % 4) % 4);
		off = (name_end + 3) & ~(size_t)3;
		data_end = off + e->f[F_SIZE];
		ck_assert_uint_le(data_end, len);
		e->data = buf + off;
		assert_zero(buf + data_end, (4 - data_end % 4) % 4);
		off = (data_end + 3) & ~(size_t)3;
		ck_assert_uint_eq(e->f[F_CHECK], 0);
		if (!strcmp(e->name, "TRAILER!!!")) {
			ck_assert_uint_eq(e->f[F_SIZE], 0);
			ck_assert_uint_eq(off, len);
			return n;
		}
	}
}

/* The fields every entry the writer adds has. */
static void assert_common(const struct ent *e, uint32_t nlink)
{
	ck_assert_uint_eq(e->f[F_UID], 0);
	ck_assert_uint_eq(e->f[F_GID], 0);
	ck_assert_uint_eq(e->f[F_MTIME], 0);
	ck_assert_uint_eq(e->f[F_NLINK], nlink);
	ck_assert_uint_eq(e->f[F_DEVMAJ], 0);
	ck_assert_uint_eq(e->f[F_DEVMIN], 0);
	ck_assert_uint_eq(e->f[F_NAMESIZE], strlen(e->name) + 1);
}

/* A small busybox-like tree. */
static void add_tree(struct cpio *c)
{
	static const char init[] = "#!/bin/sh\nexec sh\n";

	ck_assert_int_eq(cpio_add_dir(c, "bin", 0755), 0);
	ck_assert_int_eq(cpio_add_dir(c, "dev", 0700), 0);
	ck_assert_int_eq(cpio_add_chardev(c, "dev/console", 0600, 5, 1), 0);
	ck_assert_int_eq(cpio_add_file(c, "init", 0755, init, strlen(init)), 0);
	ck_assert_int_eq(cpio_add_symlink(c, "bin/sh", "busybox"), 0);
	ck_assert_int_eq(cpio_finish(c), 0);
	ck_assert_int_eq(c->error, 0);
}

static const char *const tree_names[] = { "bin", "dev", "dev/console", "init", "bin/sh" };

START_TEST(test_empty_archive)
{
	struct cpio c;

	cpio_init(&c);
	ck_assert_int_eq(cpio_finish(&c), 0);
	ck_assert_int_eq(parse(c.buf, c.len), 0);
	ck_assert_uint_eq(c.len, 124);		/* 110 + 11, padded to 4 */
	ck_assert_uint_eq(ents[0].f[F_NAMESIZE], 11);
	ck_assert_uint_eq(ents[0].f[F_MODE], 0);
	cpio_free(&c);
	ck_assert_ptr_null(c.buf);
	ck_assert_uint_eq(c.len, 0);
}
END_TEST

START_TEST(test_tree_fields)
{
	struct cpio c;
	const struct ent *e = ents;

	cpio_init(&c);
	add_tree(&c);
	ck_assert_int_eq(parse(c.buf, c.len), 5);

	ck_assert_str_eq(e[0].name, "bin");
	ck_assert_uint_eq(e[0].f[F_MODE], S_IFDIR | 0755);
	ck_assert_uint_eq(e[0].f[F_SIZE], 0);
	assert_common(&e[0], 2);
	ck_assert_str_eq(e[1].name, "dev");
	ck_assert_uint_eq(e[1].f[F_MODE], S_IFDIR | 0700);
	assert_common(&e[1], 2);

	ck_assert_str_eq(e[2].name, "dev/console");
	ck_assert_uint_eq(e[2].f[F_MODE], S_IFCHR | 0600);
	ck_assert_uint_eq(e[2].f[F_RDEVMAJ], 5);
	ck_assert_uint_eq(e[2].f[F_RDEVMIN], 1);
	ck_assert_uint_eq(e[2].f[F_SIZE], 0);
	assert_common(&e[2], 1);

	ck_assert_str_eq(e[3].name, "init");
	ck_assert_uint_eq(e[3].f[F_MODE], S_IFREG | 0755);
	ck_assert_uint_eq(e[3].f[F_SIZE], 18);
	ck_assert(!memcmp(e[3].data, "#!/bin/sh\nexec sh\n", 18));
	ck_assert_uint_eq(e[3].f[F_RDEVMAJ], 0);
	ck_assert_uint_eq(e[3].f[F_RDEVMIN], 0);
	assert_common(&e[3], 1);

	ck_assert_str_eq(e[4].name, "bin/sh");
	ck_assert_uint_eq(e[4].f[F_MODE], S_IFLNK | 0777);
	ck_assert_uint_eq(e[4].f[F_SIZE], 7);	/* the target, without a NUL */
	ck_assert(!memcmp(e[4].data, "busybox", 7));
	assert_common(&e[4], 1);

	/* Inode numbers 1, 2, ... in order; the trailer last. */
	for (int i = 0; i < 5; i++)
		ck_assert_uint_eq(e[i].f[F_INO], i + 1);
	ck_assert_str_eq(e[5].name, "TRAILER!!!");
	cpio_free(&c);
}
END_TEST

START_TEST(test_data_round_trip)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const char *const names[] = { "a", "bb", "ccc", "dddd", "eeeee",
		"ffffff", "ggggggg", "hhhhhhhh", "d/i", "d/jj" };
	uint8_t data[16];
	struct cpio c;
	int i, n;

	for (i = 0; i < 16; i++)
		data[i] = 0xa0 + i;
	cpio_init(&c);
	/* Names of every length mod 4 too, so the name padding varies. */
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(cpio_add_file(&c, names[i], 0644, data, sizes[i]), 0);
	ck_assert_int_eq(cpio_add_file(&c, "null", 0600, NULL, 0), 0);
	ck_assert_int_eq(cpio_finish(&c), 0);
	n = parse(c.buf, c.len);
	ck_assert_int_eq(n, 11);
	for (i = 0; i < 10; i++) {
		ck_assert_str_eq(ents[i].name, names[i]);
		ck_assert_uint_eq(ents[i].f[F_MODE], S_IFREG | 0644);
		ck_assert_uint_eq(ents[i].f[F_SIZE], sizes[i]);
		ck_assert_uint_eq((ents[i].data - c.buf) % 4, 0);
		ck_assert(!memcmp(ents[i].data, data, sizes[i]));
		assert_common(&ents[i], 1);
	}
	ck_assert_uint_eq(ents[10].f[F_SIZE], 0);
	cpio_free(&c);
}
END_TEST

START_TEST(test_large_file)
{
	size_t len = (3u << 20) + 5, i;
	uint8_t *data = malloc(len);
	struct cpio c;

	ck_assert_ptr_nonnull(data);
	for (i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 7 + (i >> 9));
	cpio_init(&c);
	ck_assert_int_eq(cpio_add_file(&c, "bin/busybox", 0755, data, len), 0);
	ck_assert_int_eq(cpio_add_file(&c, "after", 0644, "xyz", 3), 0);
	ck_assert_int_eq(cpio_finish(&c), 0);
	ck_assert_int_eq(parse(c.buf, c.len), 2);
	ck_assert_uint_eq(ents[0].f[F_SIZE], len);
	ck_assert(!memcmp(ents[0].data, data, len));
	ck_assert_str_eq(ents[1].name, "after");
	ck_assert(!memcmp(ents[1].data, "xyz", 3));
	ck_assert_uint_eq(c.len, c.len & ~(size_t)3);
	ck_assert_uint_le(c.len, c.cap);
	free(data);
	cpio_free(&c);
}
END_TEST

START_TEST(test_devices_and_symlinks)
{
	char target[CPIO_NAME_MAX + 1];
	struct cpio c;

	memset(target, 't', CPIO_NAME_MAX);
	target[CPIO_NAME_MAX] = '\0';
	cpio_init(&c);
	ck_assert_int_eq(cpio_add_chardev(&c, "dev/null", 0666, 1, 3), 0);
	ck_assert_int_eq(cpio_add_chardev(&c, "dev/max", 0, 0xfff, 0xfffff), 0);
	ck_assert_int_eq(cpio_add_symlink(&c, "sbin/init", "/bin/busybox"), 0);
	ck_assert_int_eq(cpio_add_symlink(&c, "long", target), 0);
	ck_assert_int_eq(cpio_finish(&c), 0);
	ck_assert_int_eq(parse(c.buf, c.len), 4);
	ck_assert_uint_eq(ents[0].f[F_MODE], S_IFCHR | 0666);
	ck_assert_uint_eq(ents[0].f[F_RDEVMAJ], 1);
	ck_assert_uint_eq(ents[0].f[F_RDEVMIN], 3);
	ck_assert_uint_eq(ents[1].f[F_MODE], S_IFCHR);
	ck_assert_uint_eq(ents[1].f[F_RDEVMAJ], 0xfff);
	ck_assert_uint_eq(ents[1].f[F_RDEVMIN], 0xfffff);
	ck_assert_uint_eq(ents[2].f[F_SIZE], 12);
	ck_assert(!memcmp(ents[2].data, "/bin/busybox", 12));
	ck_assert_uint_eq(ents[3].f[F_SIZE], CPIO_NAME_MAX);
	ck_assert(!memcmp(ents[3].data, target, CPIO_NAME_MAX));
	cpio_free(&c);
}
END_TEST

START_TEST(test_unique_inodes)
{
	char name[16];
	struct cpio c;
	int i, j, n;

	cpio_init(&c);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "e%d", i);
		switch (i % 4) {
		case 0:
			ck_assert_int_eq(cpio_add_dir(&c, name, 0755), 0);
			break;
		case 1:
			ck_assert_int_eq(cpio_add_file(&c, name, 0644, "x", 1), 0);
			break;
		case 2:
			ck_assert_int_eq(cpio_add_symlink(&c, name, "e0"), 0);
			break;
		default:
			ck_assert_int_eq(cpio_add_chardev(&c, name, 0600, 5, 1), 0);
		}
	}
	ck_assert_int_eq(cpio_finish(&c), 0);
	n = parse(c.buf, c.len);
	ck_assert_int_eq(n, 40);
	for (i = 0; i < n; i++) {
		ck_assert_uint_ne(ents[i].f[F_INO], 0);
		/* Only directories have nlink > 1, and the kernel never links those. */
		ck_assert_uint_eq(ents[i].f[F_NLINK], S_ISDIR(ents[i].f[F_MODE]) ? 2 : 1);
		for (j = 0; j < i; j++)
			ck_assert_uint_ne(ents[i].f[F_INO], ents[j].f[F_INO]);
	}
	cpio_free(&c);
}
END_TEST

START_TEST(test_inode_numbers_run_out)
{
	struct cpio c;

	cpio_init(&c);
	c.next_ino = 0xffffffff;
	ck_assert_int_eq(cpio_add_dir(&c, "last", 0755), 0);
	ck_assert_int_eq(cpio_add_dir(&c, "wraps", 0755), -1);
	ck_assert_int_eq(c.error, EOVERFLOW);
	cpio_free(&c);
}
END_TEST

/* Add with a fresh writer; returns the error it set (0 if it succeeded). */
static int dir_err(const char *name)
{
	struct cpio c;
	int ret, err;

	cpio_init(&c);
	ret = cpio_add_dir(&c, name, 0755);
	err = c.error;
	ck_assert_int_eq(ret, err ? -1 : 0);
	if (err)
		ck_assert_uint_eq(c.len, 0);
	cpio_free(&c);
	return err;
}

START_TEST(test_name_errors)
{
	char name[CPIO_NAME_MAX + 2];

	ck_assert_int_eq(dir_err(""), EINVAL);
	ck_assert_int_eq(dir_err("/"), EINVAL);
	ck_assert_int_eq(dir_err("/etc"), EINVAL);
	ck_assert_int_eq(dir_err(".."), EINVAL);
	ck_assert_int_eq(dir_err("../etc"), EINVAL);
	ck_assert_int_eq(dir_err("etc/.."), EINVAL);
	ck_assert_int_eq(dir_err("etc/../x"), EINVAL);
	ck_assert_int_eq(dir_err("etc/../"), EINVAL);
	ck_assert_int_eq(dir_err("TRAILER!!!"), EINVAL);	/* would end the archive */
	/* Dots that are not a ".." component are fine. */
	ck_assert_int_eq(dir_err("..a"), 0);
	ck_assert_int_eq(dir_err("a.."), 0);
	ck_assert_int_eq(dir_err("etc/...x"), 0);
	ck_assert_int_eq(dir_err("a/b.."), 0);
	ck_assert_int_eq(dir_err("."), 0);
	/* 4095 bytes and the NUL: the kernel's PATH_MAX. */
	memset(name, 'n', sizeof(name));
	name[CPIO_NAME_MAX] = '\0';
	ck_assert_int_eq(dir_err(name), 0);
	name[CPIO_NAME_MAX] = 'n';
	name[CPIO_NAME_MAX + 1] = '\0';
	ck_assert_int_eq(dir_err(name), ENAMETOOLONG);
}
END_TEST

START_TEST(test_name_max)
{
	char name[CPIO_NAME_MAX + 1];
	struct cpio c;

	memset(name, 'n', CPIO_NAME_MAX);
	name[CPIO_NAME_MAX] = '\0';
	cpio_init(&c);
	ck_assert_int_eq(cpio_add_file(&c, name, 0644, "abc", 3), 0);
	ck_assert_int_eq(cpio_finish(&c), 0);
	ck_assert_int_eq(parse(c.buf, c.len), 1);
	ck_assert_uint_eq(ents[0].f[F_NAMESIZE], CPIO_NAME_MAX + 1);
	ck_assert_str_eq(ents[0].name, name);
	cpio_free(&c);
}
END_TEST

START_TEST(test_argument_errors)
{
	char target[CPIO_NAME_MAX + 2];
	static const uint8_t byte;
	struct cpio c;

	memset(target, 't', sizeof(target) - 1);
	target[sizeof(target) - 1] = '\0';

#define EXPECT(call, err) do {						\
		cpio_init(&c);						\
		ck_assert_int_eq(call, -1);				\
		ck_assert_int_eq(c.error, err);				\
		ck_assert_uint_eq(c.len, 0);				\
		cpio_free(&c);						\
	} while (0)
	EXPECT(cpio_add_dir(&c, "d", 01755), EINVAL);		/* perm: 0777 only */
	EXPECT(cpio_add_dir(&c, "d", S_IFDIR | 0755), EINVAL);
	EXPECT(cpio_add_file(&c, "f", 04755, &byte, 1), EINVAL);
	EXPECT(cpio_add_chardev(&c, "c", 02600, 5, 1), EINVAL);
	EXPECT(cpio_add_file(&c, "f", 0644, NULL, 1), EINVAL);
	EXPECT(cpio_add_file(&c, "/f", 0644, &byte, 1), EINVAL);
	/* Checked before the data is read: the pointer covers one byte. */
	EXPECT(cpio_add_file(&c, "big", 0644, &byte, (size_t)0xffffffff + 1), EFBIG);
	EXPECT(cpio_add_symlink(&c, "s", ""), EINVAL);
	EXPECT(cpio_add_symlink(&c, "s", target), ENAMETOOLONG);
	EXPECT(cpio_add_symlink(&c, "a/../s", "t"), EINVAL);
	EXPECT(cpio_add_chardev(&c, "c", 0600, 0x1000, 0), EINVAL);
	EXPECT(cpio_add_chardev(&c, "c", 0600, 0, 0x100000), EINVAL);
	EXPECT(cpio_add_chardev(&c, "", 0600, 5, 1), EINVAL);
#undef EXPECT
}
END_TEST

START_TEST(test_error_is_sticky)
{
	struct cpio c;
	size_t len;

	cpio_init(&c);
	ck_assert_int_eq(cpio_add_dir(&c, "ok", 0755), 0);
	len = c.len;
	ck_assert_int_eq(cpio_add_dir(&c, "../bad", 0755), -1);
	ck_assert_int_eq(c.error, EINVAL);
	/* Later valid calls fail, write nothing and keep the first error. */
	ck_assert_int_eq(cpio_add_file(&c, "big", 0644, "x", (size_t)1 << 32), -1);
	ck_assert_int_eq(c.error, EINVAL);
	ck_assert_int_eq(cpio_add_dir(&c, "fine", 0755), -1);
	ck_assert_int_eq(cpio_add_file(&c, "fine", 0644, "x", 1), -1);
	ck_assert_int_eq(cpio_add_symlink(&c, "fine", "x"), -1);
	ck_assert_int_eq(cpio_add_chardev(&c, "fine", 0600, 5, 1), -1);
	ck_assert_int_eq(cpio_finish(&c), -1);
	ck_assert_int_eq(c.error, EINVAL);
	ck_assert_uint_eq(c.len, len);
	cpio_free(&c);
	ck_assert_int_eq(c.error, 0);
}
END_TEST

START_TEST(test_nothing_after_finish)
{
	struct cpio c;
	size_t len;

	cpio_init(&c);
	ck_assert_int_eq(cpio_add_dir(&c, "d", 0755), 0);
	ck_assert_int_eq(cpio_finish(&c), 0);
	len = c.len;
	ck_assert_int_eq(cpio_add_file(&c, "f", 0644, "x", 1), -1);
	ck_assert_int_eq(c.error, EINVAL);
	ck_assert_uint_eq(c.len, len);
	cpio_free(&c);

	/* Each kind of add, and a second trailer, on a fresh finished archive. */
	for (int i = 0; i < 5; i++) {
		int ret = 0;

		cpio_init(&c);
		ck_assert_int_eq(cpio_finish(&c), 0);
		len = c.len;
		switch (i) {
		case 0:
			ret = cpio_add_dir(&c, "d", 0755);
			break;
		case 1:
			ret = cpio_add_file(&c, "f", 0644, "x", 1);
			break;
		case 2:
			ret = cpio_add_symlink(&c, "s", "t");
			break;
		case 3:
			ret = cpio_add_chardev(&c, "c", 0600, 5, 1);
			break;
		default:
			ret = cpio_finish(&c);
		}
		ck_assert_int_eq(ret, -1);
		ck_assert_int_eq(c.error, EINVAL);
		ck_assert_uint_eq(c.len, len);
		ck_assert_int_eq(parse(c.buf, c.len), 0);	/* still one valid archive */
		cpio_free(&c);
	}
}
END_TEST

/*
 * Write the tree to a file, read it back, and compare the names GNU cpio
 * lists with ours. Without cpio on PATH only that comparison is skipped
 * (it is not installed for this test).
 */
START_TEST(test_gnu_cpio_lists_names)
{
	char path[] = "/tmp/check_cpio.XXXXXX";
	char cmd[128], line[256];
	uint8_t *back;
	struct cpio c;
	FILE *f;
	int fd, i;

	cpio_init(&c);
	add_tree(&c);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, c.buf, c.len), (ssize_t)c.len);
	ck_assert_int_eq(close(fd), 0);

	back = malloc(c.len + 1);
	ck_assert_ptr_nonnull(back);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(back, 1, c.len + 1, f), c.len);
	fclose(f);
	ck_assert(!memcmp(back, c.buf, c.len));
	ck_assert_int_eq(parse(back, c.len), 5);
	free(back);

	if (system("command -v cpio >/dev/null 2>&1") == 0) {
		snprintf(cmd, sizeof(cmd), "cpio -t --quiet < %s", path);
		f = popen(cmd, "r");
		ck_assert_ptr_nonnull(f);
		for (i = 0; fgets(line, sizeof(line), f); i++) {
			line[strcspn(line, "\n")] = '\0';
			ck_assert_int_lt(i, 5);
			ck_assert_str_eq(line, tree_names[i]);
		}
		ck_assert_int_eq(pclose(f), 0);
		ck_assert_int_eq(i, 5);
	}
	unlink(path);
	cpio_free(&c);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("cpio");
	TCase *tc = tcase_create("newc");

	tcase_add_test(tc, test_empty_archive);
	tcase_add_test(tc, test_tree_fields);
	tcase_add_test(tc, test_data_round_trip);
	tcase_add_test(tc, test_large_file);
	tcase_add_test(tc, test_devices_and_symlinks);
	tcase_add_test(tc, test_unique_inodes);
	tcase_add_test(tc, test_inode_numbers_run_out);
	tcase_add_test(tc, test_name_errors);
	tcase_add_test(tc, test_name_max);
	tcase_add_test(tc, test_argument_errors);
	tcase_add_test(tc, test_error_is_sticky);
	tcase_add_test(tc, test_nothing_after_finish);
	tcase_add_test(tc, test_gnu_cpio_lists_names);
	suite_add_tcase(su, tc);
	return unit_run(su);
}
