/*
 * clock.c - wall-clock time and its ISO 8601 form.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/*
 * An absolute time: ISO 8601 in UTC ("2026-11-26T12:00:00Z", "T" or a
 * space, optional ".mmm" and "Z") or seconds since the epoch with an
 * optional fraction ("1764158400.250").  -1 if it is neither.
 */
int
clock_parse_time(const char *s, uint64_t *msec)
{
	struct tm tm;
	const char *p;
	char *end;
	unsigned long long sec, frac = 0, scale = 1000;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if ((p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		p = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (p != NULL) {
		if ((t = timegm(&tm)) == (time_t)-1 || t < 0)
			return -1;
		sec = (unsigned long long)t;
	} else {
		if (*s < '0' || *s > '9')
			return -1;
		sec = strtoull(s, &end, 10);
		p = end;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (scale > 1) {
				scale /= 10;
				frac += (unsigned long long)(*p - '0') * scale;
			}
		}
	}
	if (*p == 'Z')
		p++;
	if (*p != '\0' || sec > UINT64_MAX / 1000 - 1000)
		return -1;
	*msec = sec * 1000 + frac;
	return 0;
}
