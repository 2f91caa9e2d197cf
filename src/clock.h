/*
 * clock.h - nftop's time in milliseconds since the epoch: the wall clock
 * at start, carried by the monotonic clock (see clock.c); wall-clock
 * steps are counted, not followed.
 */
#ifndef NFTOP_CLOCK_H
#define NFTOP_CLOCK_H

#include <stddef.h>
#include <stdint.h>

uint64_t	clock_now_msec(void);
int		clock_check_jump(int64_t *step_msec);
const char	*clock_fmt_iso(uint64_t msec, char *buf, size_t len);
int		 clock_parse_time(const char *, uint64_t *msec);

#endif
