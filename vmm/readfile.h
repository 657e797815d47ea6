/* SPDX-License-Identifier: GPL-2.0 */
/* Reading a whole file into memory, and writing a buffer whole, for vmm and vmm-run. Runs in user mode on the host. */
#ifndef VMM_READFILE_H
#define VMM_READFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The whole regular file at path, malloc'ed; its length in *len and, if
 * mode is not NULL, its mode. NULL after a line "PROG: PATH: why" on
 * stderr.
 */
uint8_t *read_whole_file(const char *prog, const char *path, size_t *len, mode_t *mode);

/* Write all of buf to fd: 0, or -1 with errno (ENOSPC for a write that stops short). */
int write_all(int fd, const void *buf, size_t len);

#endif
