// SPDX-License-Identifier: GPL-2.0
/*
 * The initramfs "newc" cpio writer; see cpio.h. Runs in user mode on the
 * host, in memory only.
 *
 * Each entry: a 110-byte ASCII header ("070701" and 13 fields of 8 hex
 * digits), the name and its NUL padded to 4 bytes, the data padded to 4.
 * The buffer starts aligned and every entry ends aligned, so "padded from
 * the header's start" is the same as padded from the buffer's start.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpio.h"

#define CPIO_HDR_LEN	110
#define CPIO_TRAILER	"TRAILER!!!"
#define ALIGN4(x)	(((x) + 3) & ~(size_t)3)

void cpio_init(struct cpio *c)
{
	memset(c, 0, sizeof(*c));
	c->next_ino = 1;
}

void cpio_free(struct cpio *c)
{
	free(c->buf);
	cpio_init(c);
}

static int fail(struct cpio *c, int err)
{
	c->error = err;
	return -1;
}

/* Make room for n more bytes. */
static int grow(struct cpio *c, size_t n)
{
	size_t cap = c->cap ? c->cap : 4096;
	uint8_t *p;

	if (n > SIZE_MAX - c->len)
		return -1;
	while (cap < c->len + n) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	if (cap == c->cap)
		return 0;
	p = realloc(c->buf, cap);
	if (!p)
		return -1;
	c->buf = p;
	c->cap = cap;
	return 0;
}

/* 0, or the errno value for a name the archive cannot hold. */
static int check_name(const char *name)
{
	size_t n = strnlen(name, CPIO_NAME_MAX + 1);
	const char *p;

	if (n > CPIO_NAME_MAX)
		return ENAMETOOLONG;
	if (n == 0 || name[0] == '/' || !strcmp(name, CPIO_TRAILER))
		return EINVAL;
	for (p = name; *p; p++) {
		/* A ".." component: at the start or after a '/', up to '/' or the end. */
		if ((p == name || p[-1] == '/') && p[0] == '.' && p[1] == '.' &&
		    (p[2] == '/' || p[2] == '\0'))
			return EINVAL;
	}
	return 0;
}

/* Append one entry; ino 0 for the trailer, which takes no inode number. */
static int put(struct cpio *c, const char *name, int take_ino, uint32_t mode, uint32_t nlink,
	       uint32_t rmajor, uint32_t rminor, const void *data, size_t len)
{
	size_t namesize = strlen(name) + 1;
	size_t total = ALIGN4(CPIO_HDR_LEN + namesize) + ALIGN4(len);
	uint32_t ino = 0;
	uint8_t *p;

	if (take_ino) {
		if (c->next_ino == 0)
			return fail(c, EOVERFLOW);
		ino = c->next_ino;
	}
	if (total < len || grow(c, total))
		return fail(c, ENOMEM);
	p = c->buf + c->len;
	memset(p, 0, total);
	/* ino mode uid gid nlink mtime filesize devmaj devmin rdevmaj rdevmin namesize check */
	snprintf((char *)p, CPIO_HDR_LEN + 1,
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ino, mode, 0, 0, nlink, 0, (uint32_t)len, 0, 0, rmajor, rminor,
		 (uint32_t)namesize, 0);
	memcpy(p + CPIO_HDR_LEN, name, namesize);	/* overwrites snprintf's NUL */
	if (len)
		memcpy(p + ALIGN4(CPIO_HDR_LEN + namesize), data, len);
	c->len += total;
	if (take_ino)
		c->next_ino++;				/* 0 after 0xffffffff: none left */
	return 0;
}

/* The checks every add makes first: 0 or an errno value. */
static int check_add(struct cpio *c, const char *name, unsigned int perm)
{
	if (c->finished)
		return EINVAL;
	if (perm & ~0777u)
		return EINVAL;
	return check_name(name);
}

int cpio_add_dir(struct cpio *c, const char *name, unsigned int perm)
{
	int err;

	if (c->error)
		return -1;
	err = check_add(c, name, perm);
	if (err)
		return fail(c, err);
	return put(c, name, 1, S_IFDIR | perm, 2, 0, 0, NULL, 0);
}

int cpio_add_file(struct cpio *c, const char *name, unsigned int perm, const void *data,
		  size_t len)
{
	int err;

	if (c->error)
		return -1;
	err = check_add(c, name, perm);
	if (!err && len && !data)
		err = EINVAL;
	if (!err && (uint64_t)len > UINT32_MAX)
		err = EFBIG;
	if (err)
		return fail(c, err);
	return put(c, name, 1, S_IFREG | perm, 1, 0, 0, data, len);
}

int cpio_add_symlink(struct cpio *c, const char *name, const char *target)
{
	size_t n;
	int err;

	if (c->error)
		return -1;
	err = check_add(c, name, 0777);
	if (err)
		return fail(c, err);
	/* The kernel takes a target of up to PATH_MAX - 1 bytes. */
	n = strnlen(target, CPIO_NAME_MAX + 1);
	if (n == 0)
		return fail(c, EINVAL);
	if (n > CPIO_NAME_MAX)
		return fail(c, ENAMETOOLONG);
	return put(c, name, 1, S_IFLNK | 0777, 1, 0, 0, target, n);
}

int cpio_add_chardev(struct cpio *c, const char *name, unsigned int perm,
		     unsigned int major, unsigned int minor)
{
	int err;

	if (c->error)
		return -1;
	err = check_add(c, name, perm);
	/* What Linux's dev_t holds: 12 bits of major, 20 of minor. */
	if (!err && (major > 0xfff || minor > 0xfffff))
		err = EINVAL;
	if (err)
		return fail(c, err);
	return put(c, name, 1, S_IFCHR | perm, 1, major, minor, NULL, 0);
}

int cpio_finish(struct cpio *c)
{
	if (c->error)
		return -1;
	if (c->finished)
		return fail(c, EINVAL);
	if (put(c, CPIO_TRAILER, 0, 0, 1, 0, 0, NULL, 0))
		return -1;
	c->finished = 1;
	return 0;
}
