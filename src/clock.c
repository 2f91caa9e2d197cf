/*
 * clock.c - nftop's time: the wall clock read once at start, then carried
 * forward by the monotonic clock, and its ISO 8601 form.
 *
 * Windows, rates, timeouts and batch intervals all hang on "now"; if it
 * followed the wall clock, a step back of an hour (a bad NTP server, an
 * operator's date -s) would expire every live record at once and stall
 * the batch reports for that hour, and a step forward would end every
 * flow.  So the wall clock only names the start; clock_check_jump()
 * notices when the wall clock and ours part by more than
 * CLOCK_JUMP_MSEC and counts it (faults.clock_jumps), without following.
 * Record times that exporters send are theirs and are not touched.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "fault.h"

#define CLOCK_JUMP_MSEC	2000	/* more than NTP ever slews in a tick */

static uint64_t	base_real, base_mono;	/* both read at the first call */
static int64_t	last_skew;		/* wall - ours when last checked */

static uint64_t
clock_read(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t
clock_now_msec(void)
{
	if (base_real == 0) {
		base_real = clock_read(CLOCK_REALTIME);
		base_mono = clock_read(CLOCK_MONOTONIC);
	}
	return base_real + (clock_read(CLOCK_MONOTONIC) - base_mono);
}

/*
 * Called once a tick: 1 (and counted) when the wall clock stepped since
 * the last call, by how much in *step_msec (negative: backwards).
 */
int
clock_check_jump(int64_t *step_msec)
{
	int64_t skew = (int64_t)(clock_read(CLOCK_REALTIME) -
	    clock_now_msec()), step = skew - last_skew;

	last_skew = skew;
	if (step_msec != NULL)
		*step_msec = step;
	if (step > CLOCK_JUMP_MSEC || step < -CLOCK_JUMP_MSEC) {
		fault_count(FAULT_CLOCK_JUMP);
		return 1;
	}
	return 0;
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
