// SPDX-License-Identifier: GPL-2.0
/* Guest image loaders; see loader.h. */
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
	return 0;
}
