// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel unpacked on the host, and its cache; see vmlinux.h. Runs in
 * vmm's main thread, before the VM is built, without privileges.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "readfile.h"
#include "vmlinux.h"

/* The setup header (Documentation/arch/x86/boot.rst). */
#define HDR_SETUP_SECTS		0x1f1
#define HDR_MAGIC		0x202
#define HDR_VERSION		0x206
#define HDR_PAYLOAD_OFFSET	0x248
#define HDR_PAYLOAD_LENGTH	0x24c
#define HDR_END			0x250

/* Debian's kernels unpack to about 64 MiB: a bound against a bogus size. */
#define VMLINUX_MAX		(1U << 30)

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

int bzimage_payload(const uint8_t *k, size_t klen, const uint8_t **p, size_t *plen,
		    size_t *out_len)
{
	size_t setup, off, len;

	if (klen < HDR_END || le32(k + HDR_MAGIC) != 0x53726448 /* "HdrS" */ ||
	    (k[HDR_VERSION] | k[HDR_VERSION + 1] << 8) < 0x0208)
		return -1;
	setup = ((k[HDR_SETUP_SECTS] ? k[HDR_SETUP_SECTS] : 4) + 1) * 512UL;
	off = le32(k + HDR_PAYLOAD_OFFSET);
	len = le32(k + HDR_PAYLOAD_LENGTH);
	/* The build appends the decompressed size, 4 bytes, to the payload. */
	if (setup > klen || off > klen - setup || len < 8 || len > klen - setup - off)
		return -1;
	*p = k + setup + off;
	*plen = len;
	*out_len = le32(*p + len - 4);
	return 0;
}

const char *payload_format(const uint8_t *p, size_t plen)
{
	if (plen >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6))
		return "xz";
	if (plen >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4))
		return "zstd";
	if (plen >= 2 && p[0] == 0x1f && (p[1] == 0x8b || p[1] == 0x9e))
		return "gzip";
	return NULL;
}

static int unpack_xz(const uint8_t *p, size_t plen, uint8_t *out, size_t out_len)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r;

	/* One stream; what follows it (the appended size) is not read. */
	if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK)
		return -1;
	s.next_in = p;
	s.avail_in = plen;
	s.next_out = out;
	s.avail_out = out_len;
	r = lzma_code(&s, LZMA_FINISH);
	lzma_end(&s);
	return r == LZMA_STREAM_END && s.avail_out == 0 ? 0 : -1;
}

static int unpack_zstd(const uint8_t *p, size_t plen, uint8_t *out, size_t out_len)
{
	size_t frame = ZSTD_findFrameCompressedSize(p, plen);
	size_t n;

	if (ZSTD_isError(frame))
		return -1;
	n = ZSTD_decompress(out, out_len, p, frame);
	return !ZSTD_isError(n) && n == out_len ? 0 : -1;
}

static int unpack_gzip(const uint8_t *p, size_t plen, uint8_t *out, size_t out_len)
{
	z_stream s = { 0 };
	int r;

	if (plen > UINT32_MAX || out_len > UINT32_MAX || inflateInit2(&s, 16 + MAX_WBITS) != Z_OK)
		return -1;
	s.next_in = (Bytef *)p;
	s.avail_in = (uInt)plen;
	s.next_out = out;
	s.avail_out = (uInt)out_len;
	r = inflate(&s, Z_FINISH);
	inflateEnd(&s);
	return r == Z_STREAM_END && s.avail_out == 0 ? 0 : -1;
}

int payload_unpack(const uint8_t *p, size_t plen, size_t out_len, uint8_t **out,
		   char *err, size_t errlen)
{
	const char *f = payload_format(p, plen);
	uint8_t *buf;
	int r;

	if (!f) {
		snprintf(err, errlen, "a payload vmm cannot decompress (not xz, zstd or gzip)");
		return -1;
	}
	if (out_len > VMLINUX_MAX) {
		snprintf(err, errlen, "the payload says it unpacks to %zu bytes, more than %u MiB",
			 out_len, VMLINUX_MAX >> 20);
		return -1;
	}
	buf = out_len ? malloc(out_len) : NULL;
	if (!buf) {
		snprintf(err, errlen, "%zu bytes for the kernel: %s", out_len,
			 out_len ? strerror(errno) : "an empty kernel");
		return -1;
	}
	if (!strcmp(f, "xz"))
		r = unpack_xz(p, plen, buf, out_len);
	else if (!strcmp(f, "zstd"))
		r = unpack_zstd(p, plen, buf, out_len);
	else
		r = unpack_gzip(p, plen, buf, out_len);
	if (r) {
		free(buf);
		snprintf(err, errlen, "the %s payload is corrupt, or not %zu bytes unpacked", f,
			 out_len);
		return -1;
	}
	*out = buf;
	return 0;
}

int vmlinux_check(const uint8_t *e, size_t len, uint64_t *entry, char *err, size_t errlen)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)e;
	unsigned int i;
	bool found = false;

	if (len < sizeof(*eh) || memcmp(e, ELFMAG, SELFMAG) || e[EI_CLASS] != ELFCLASS64 ||
	    e[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64 || eh->e_type != ET_EXEC) {
		snprintf(err, errlen, "not a 64-bit x86-64 executable ELF file");
		return -1;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !eh->e_phnum || eh->e_phoff > len ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff) {
		snprintf(err, errlen, "its program headers lie outside the file");
		return -1;
	}
	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, e + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset ||
		    ph.p_filesz > ph.p_memsz || ph.p_paddr + ph.p_memsz < ph.p_paddr) {
			snprintf(err, errlen, "segment %u lies outside the file", i);
			return -1;
		}
		/* x86-64's vmlinux gives the physical entry (phys_startup_64). */
		if (eh->e_entry >= ph.p_paddr && eh->e_entry - ph.p_paddr < ph.p_memsz) {
			*entry = eh->e_entry;
			found = true;
		} else if (!found && eh->e_entry >= ph.p_vaddr &&
			   eh->e_entry - ph.p_vaddr < ph.p_memsz) {
			*entry = eh->e_entry - ph.p_vaddr + ph.p_paddr;
			found = true;
		}
	}
	if (!found) {
		snprintf(err, errlen, "its entry point %#llx is in no loadable segment",
			 (unsigned long long)eh->e_entry);
		return -1;
	}
	return 0;
}

const char *vmlinux_cache_dir(char *buf, size_t size)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	int n;

	if (x && x[0] == '/')
		n = snprintf(buf, size, "%s/minivmm", x);
	else if (h && h[0] == '/')
		n = snprintf(buf, size, "%s%s.cache/minivmm", h, h[1] ? "/" : "");
	else
		return NULL;
	return n > 0 && (size_t)n < size ? buf : NULL;
}

/* The cache's key: a 64-bit hash (FNV-1a over 8-byte words) of the payload. */
static uint64_t payload_hash(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL, w;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/* The cached file if it is there with the right size: malloc'ed, or NULL. */
static uint8_t *cache_read(const char *path, size_t len)
{
	uint8_t *buf = NULL;
	struct stat st;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != len)
		goto out;
	buf = malloc(len);
	while (buf && got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			buf = NULL;
		} else {
			got += (size_t)n;
		}
	}
out:
	close(fd);
	return buf;
}

/* mkdir -p, each new directory 0700 (the XDG base directory spec's mode). */
static int make_dirs(char *path)
{
	char *s, c;

	for (s = path + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		c = *s;
		*s = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			*s = c;
			return -1;
		}
		*s = c;
		if (!c)
			return 0;
	}
}

/* Store the vmlinux at path, whole or not at all (a temporary file, renamed). */
static int cache_write(const char *dir, const char *path, const uint8_t *data, size_t len)
{
	char tmp[300], d[256];
	int fd, err;

	if (snprintf(d, sizeof(d), "%s", dir) >= (int)sizeof(d) ||
	    snprintf(tmp, sizeof(tmp), "%s/.vmlinux-XXXXXX", dir) >= (int)sizeof(tmp) ||
	    make_dirs(d))
		return -1;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	err = write_all(fd, data, len);
	if (close(fd) || err || fchmodat(AT_FDCWD, tmp, 0644, 0) || rename(tmp, path)) {
		int e = errno;

		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

int vmlinux_get(const uint8_t *k, size_t klen, const char *cache_dir, struct vmlinux *v)
{
	char path[300], err[160];
	const uint8_t *p;
	size_t plen, out_len;
	uint64_t entry;

	memset(v, 0, sizeof(*v));
	if (bzimage_payload(k, klen, &p, &plen, &out_len)) {
		snprintf(v->how, sizeof(v->how), "no payload vmm can find (boot protocol before 2.08?)");
		return -1;
	}
	v->format = payload_format(p, plen);
	if (!v->format) {
		snprintf(v->how, sizeof(v->how), "a payload vmm cannot decompress (not xz, zstd or gzip)");
		return -1;
	}
	if (cache_dir && snprintf(path, sizeof(path), "%s/vmlinux-%016llx-%zu", cache_dir,
				  (unsigned long long)payload_hash(p, plen), out_len) >= (int)sizeof(path))
		cache_dir = NULL;
	if (cache_dir) {
		v->data = cache_read(path, out_len);
		if (v->data && !vmlinux_check(v->data, out_len, &entry, err, sizeof(err))) {
			v->len = out_len;
			snprintf(v->how, sizeof(v->how), "from the cache, %s", path);
			return 0;
		}
		free(v->data);	/* not there, or damaged: unpack it again */
		v->data = NULL;
	}
	if (payload_unpack(p, plen, out_len, &v->data, err, sizeof(err)) ||
	    vmlinux_check(v->data, out_len, &entry, err, sizeof(err))) {
		free(v->data);
		v->data = NULL;
		snprintf(v->how, sizeof(v->how), "%s", err);
		return -1;
	}
	v->len = out_len;
	if (!cache_dir)
		snprintf(v->how, sizeof(v->how), "unpacked (%s), no cache", v->format);
	else if (cache_write(cache_dir, path, v->data, v->len))
		snprintf(v->how, sizeof(v->how), "unpacked (%s), not stored in %s: %s", v->format,
			 cache_dir, strerror(errno));
	else
		snprintf(v->how, sizeof(v->how), "unpacked (%s), stored in %s", v->format, path);
	return 0;
}
