/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel unpacked on the host. A bzImage carries the kernel proper
 * (vmlinux, an ELF file) compressed, and a decompressor that the boot
 * loader enters first: in the guest, it is most of the boot (1.3 s of
 * 2.1 s for Debian's xz-compressed 6.1 in the test machine). vmm does that
 * work itself: it finds the payload through the setup header
 * (payload_offset, payload_length; boot protocol 2.08), decompresses it
 * (xz, zstd or gzip) and keeps the vmlinux in a cache directory, so that
 * the next run of the same kernel loads it as is; the guest starts at the
 * kernel proper's own entry (linux.h). Runs in user mode on the host,
 * before the VM is built; all but the cache's files is pure logic,
 * unit-tested.
 */
#ifndef VMM_VMLINUX_H
#define VMM_VMLINUX_H

#include <stddef.h>
#include <stdint.h>

/*
 * The bzImage's compressed payload: 0 with *p, *plen and *out_len (the
 * size the build appended: what it decompresses to), or -1 if it has none
 * vmm can use (protocol before 2.08, fields outside the file).
 */
int bzimage_payload(const uint8_t *k, size_t klen, const uint8_t **p, size_t *plen,
		    size_t *out_len);

/* "xz", "zstd" or "gzip" from the payload's magic, or NULL (lz4, lzo, ...). */
const char *payload_format(const uint8_t *p, size_t plen);

/*
 * Decompress the payload into a malloc'ed buffer of out_len bytes: 0, or
 * -1 with a one-line reason in err.
 */
int payload_unpack(const uint8_t *p, size_t plen, size_t out_len, uint8_t **out,
		   char *err, size_t errlen);

/*
 * Is e[0..len) a vmlinux vmm can load: a 64-bit little-endian x86-64
 * executable ELF whose program headers and loadable segments lie in the
 * file, and whose entry is in a loadable segment? 0 with the entry's
 * physical address in *entry, or -1 with a reason in err.
 */
int vmlinux_check(const uint8_t *e, size_t len, uint64_t *entry, char *err, size_t errlen);

/* Where the cache is: $XDG_CACHE_HOME/minivmm, else $HOME/.cache/minivmm, else NULL. */
const char *vmlinux_cache_dir(char *buf, size_t size);

/* How vmlinux_get() found the kernel, for --trace and --stats. */
struct vmlinux {
	uint8_t *data;		/* malloc'ed vmlinux, or NULL */
	size_t len;
	const char *format;	/* the payload's compression */
	char how[400];		/* "from the cache PATH", "unpacked (xz), stored in PATH", ... */
};

/*
 * The vmlinux inside the bzImage k: from cache_dir if it holds it (checked
 * as above), else unpacked here and stored there (cache_dir NULL: not
 * stored). 0 with *v filled; -1 with v->how saying why not (no payload vmm
 * can unpack, a corrupt one): the kernel then decompresses itself.
 */
int vmlinux_get(const uint8_t *k, size_t klen, const char *cache_dir, struct vmlinux *v);

#endif
