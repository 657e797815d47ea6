// SPDX-License-Identifier: GPL-2.0
/* Guest image loaders; see loader.h. ELF layout from <elf.h> (System V ABI). */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "loader.h"

int load_flat(uint8_t *mem, uint64_t mem_size, const uint8_t *img, size_t len,
	      struct guest_entry *entry, char *err, size_t errlen)
{
	if (len == 0) {
		snprintf(err, errlen, "the image is empty");
		return -1;
	}
	if (mem_size < FLAT_LOAD_ADDR || len > mem_size - FLAT_LOAD_ADDR) {
		snprintf(err, errlen,
			 "a %zu-byte image at %#x does not fit in %llu bytes of guest memory",
			 len, FLAT_LOAD_ADDR, (unsigned long long)mem_size);
		return -1;
	}
	memcpy(mem + FLAT_LOAD_ADDR, img, len);
	entry->rip = FLAT_LOAD_ADDR;
	entry->mode = 16;
	entry->boot_params = 0;
	return 0;
}

/* One loadable segment, whatever the ELF class. */
struct seg {
	uint64_t paddr, filesz, memsz, offset;
};

/* Read the i-th program header of either class into s; -1 if not PT_LOAD. */
static int get_seg(const uint8_t *img, int is64, uint64_t phoff, unsigned int i,
		   unsigned int phentsize, struct seg *s)
{
	const uint8_t *p = img + phoff + (uint64_t)i * phentsize;

	if (is64) {
		Elf64_Phdr ph;

		memcpy(&ph, p, sizeof(ph));
		if (ph.p_type != PT_LOAD)
			return -1;
		*s = (struct seg){ ph.p_paddr, ph.p_filesz, ph.p_memsz, ph.p_offset };
	} else {
		Elf32_Phdr ph;

		memcpy(&ph, p, sizeof(ph));
		if (ph.p_type != PT_LOAD)
			return -1;
		*s = (struct seg){ ph.p_paddr, ph.p_filesz, ph.p_memsz, ph.p_offset };
	}
	return 0;
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/* Identity-map the first 4 GiB with 2 MiB pages (SDM Vol. 3A, 4.5). */
void loader_page_tables(uint8_t *mem)
{
	uint64_t *pml4 = (uint64_t *)(mem + LOADER_PT_ADDR);
	uint64_t *pdpt = pml4 + 512;
	uint64_t *pd = pdpt + 512;
	unsigned int i;

	memset(pml4, 0, LOADER_PT_END - LOADER_PT_ADDR);
	pml4[0] = (LOADER_PT_ADDR + 0x1000) | 3;		/* present, writable */
	for (i = 0; i < 4; i++)
		pdpt[i] = (LOADER_PT_ADDR + 0x2000 + i * 0x1000) | 3;
	for (i = 0; i < 4 * 512; i++)
		pd[i] = ((uint64_t)i << 21) | 0x83;		/* present, writable, 2 MiB */
}

/* Null, 32-bit code, data, 64-bit code (SDM Vol. 3A, 3.4.5). */
static void build_gdt(uint8_t *mem)
{
	static const uint64_t gdt[] = {
		0,
		0x00cf9b000000ffffULL,	/* code: base 0, limit 4G, 32-bit */
		0x00cf93000000ffffULL,	/* data: base 0, limit 4G */
		0x00af9b000000ffffULL,	/* code: 64-bit (L) */
	};

	memcpy(mem + LOADER_GDT_ADDR, gdt, sizeof(gdt));
}

int load_elf(uint8_t *mem, uint64_t mem_size, const uint8_t *img, size_t len,
	     struct guest_entry *entry, char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	struct seg s, t;
	uint64_t phoff, e;
	unsigned int i, j, phnum, phentsize, nload = 0;
	int is64;

	if (len < EI_NIDENT + 4 || memcmp(img, ELFMAG, SELFMAG)) {
		snprintf(err, errlen, "not an ELF image");
		return -1;
	}
	is64 = img[EI_CLASS] == ELFCLASS64;
	if ((!is64 && img[EI_CLASS] != ELFCLASS32) || img[EI_DATA] != ELFDATA2LSB) {
		snprintf(err, errlen, "unsupported ELF class or byte order");
		return -1;
	}
	if (len < (is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr))) {
		snprintf(err, errlen, "truncated ELF header (%zu bytes)", len);
		return -1;
	}
	if (is64) {
		memcpy(&eh, img, sizeof(eh));
	} else {
		Elf32_Ehdr e32;

		memcpy(&e32, img, sizeof(e32));
		eh.e_machine = e32.e_machine;
		eh.e_entry = e32.e_entry;
		eh.e_phoff = e32.e_phoff;
		eh.e_phnum = e32.e_phnum;
		eh.e_phentsize = e32.e_phentsize;
	}
	if (eh.e_machine != (is64 ? EM_X86_64 : EM_386)) {
		snprintf(err, errlen, "ELF for machine %u, not %s", eh.e_machine,
			 is64 ? "x86-64" : "i386");
		return -1;
	}
	phoff = eh.e_phoff;
	phnum = eh.e_phnum;
	phentsize = eh.e_phentsize;
	if (phentsize < (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) ||
	    phoff > len || (uint64_t)phnum * phentsize > len - phoff) {
		snprintf(err, errlen, "program headers outside the file");
		return -1;
	}

	/* Check every segment before writing anything. */
	for (i = 0; i < phnum; i++) {
		if (get_seg(img, is64, phoff, i, phentsize, &s))
			continue;
		nload++;
		if (s.filesz > s.memsz || s.offset > len || s.filesz > len - s.offset) {
			snprintf(err, errlen, "segment %u: file data outside the image", i);
			return -1;
		}
		if (s.paddr > mem_size || s.memsz > mem_size - s.paddr) {
			snprintf(err, errlen,
				 "segment %u at %#llx+%#llx is outside %llu bytes of guest memory",
				 i, (unsigned long long)s.paddr, (unsigned long long)s.memsz,
				 (unsigned long long)mem_size);
			return -1;
		}
		if (overlaps(s.paddr, s.memsz, 0, LOADER_PT_END)) {
			snprintf(err, errlen,
				 "segment %u at %#llx overlaps vmm's tables below %#x",
				 i, (unsigned long long)s.paddr, LOADER_PT_END);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (!get_seg(img, is64, phoff, j, phentsize, &t) &&
			    overlaps(s.paddr, s.memsz, t.paddr, t.memsz)) {
				snprintf(err, errlen, "segments %u and %u overlap", j, i);
				return -1;
			}
	}
	if (!nload) {
		snprintf(err, errlen, "no loadable segment");
		return -1;
	}
	e = eh.e_entry;
	if (e >= mem_size) {
		snprintf(err, errlen, "entry %#llx is outside %llu bytes of guest memory",
			 (unsigned long long)e, (unsigned long long)mem_size);
		return -1;
	}
	if (mem_size < LOADER_STACK_TOP) {
		snprintf(err, errlen, "ELF guests need at least %u KiB of memory",
			 LOADER_STACK_TOP / 1024);
		return -1;
	}

	for (i = 0; i < phnum; i++) {
		if (get_seg(img, is64, phoff, i, phentsize, &s))
			continue;
		memcpy(mem + s.paddr, img + s.offset, s.filesz);
		memset(mem + s.paddr + s.filesz, 0, s.memsz - s.filesz);
	}
	build_gdt(mem);
	if (is64)
		loader_page_tables(mem);
	entry->rip = e;
	entry->mode = is64 ? 64 : 32;
	entry->boot_params = 0;
	return 0;
}

int load_image(uint8_t *mem, uint64_t mem_size, const uint8_t *img, size_t len,
	       struct guest_entry *entry, char *err, size_t errlen)
{
	if (len >= SELFMAG && !memcmp(img, ELFMAG, SELFMAG))
		return load_elf(mem, mem_size, img, len, entry, err, errlen);
	return load_flat(mem, mem_size, img, len, entry, err, errlen);
}
