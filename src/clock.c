/*
 * clock.c - wall-clock time and its ISO 8601 form.
 */
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "clock.h"

uint64_t
clock_now_msec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* "2026-11-26T12:00:00Z", as the batch contract writes times. */
const char *
clock_fmt_iso(uint64_t msec, char *buf, size_t len)
{
	time_t t = (time_t)(msec / 1000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
	return buf;
}
