/*
 * clock.h - wall-clock time in milliseconds.
 */
#ifndef NFTOP_CLOCK_H
#define NFTOP_CLOCK_H

#include <stdint.h>

uint64_t	clock_now_msec(void);
const char	*clock_fmt_iso(uint64_t msec, char *buf, size_t len);

#endif
