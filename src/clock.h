/*
 * clock.h - wall-clock time in milliseconds.
 */
#ifndef NFTOP_CLOCK_H
#define NFTOP_CLOCK_H

#include <stddef.h>
#include <stdint.h>

uint64_t	clock_now_msec(void);
const char	*clock_fmt_iso(uint64_t msec, char *buf, size_t len);
int		 clock_parse_time(const char *, uint64_t *msec);

#endif
