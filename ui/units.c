/*
 * units.c - human and exact number formats for the screen.
 *
 * Every number the UI shows goes through here, so that one toggle (the
 * "units" command) switches the whole screen between the two forms and
 * the rounding rule lives in one place.
 */
#include <inttypes.h>
#include <stdio.h>

#include "units.h"

static const char units_prefix[] = " KMGTPE";

/*
 * Three significant digits with an SI prefix: 999, 1.00K, 26.6K, 930K.
 * A value that would round up to 1000 of one prefix moves to the next.
 */
static const char *
units_human(double v, char *buf, size_t len)
{
	size_t p = 0;

	if (!(v >= 0))
		v = 0;
	if (v < 999.5) {
		snprintf(buf, len, "%.0f", v);
		return buf;
	}
	while (v >= 999.5 && p + 1 < sizeof(units_prefix) - 1) {
		v /= 1000;
		p++;
	}
	if (v < 9.995)
		snprintf(buf, len, "%.2f%c", v, units_prefix[p]);
	else if (v < 99.95)
		snprintf(buf, len, "%.1f%c", v, units_prefix[p]);
	else
		snprintf(buf, len, "%.0f%c", v, units_prefix[p]);
	return buf;
}

/* Bytes, packets, flows, keys. */
const char *
units_count(uint64_t v, int exact, char *buf, size_t len)
{
	if (exact) {
		snprintf(buf, len, "%" PRIu64, v);
		return buf;
	}
	return units_human((double)v, buf, len);
}

/* Bits, packets or flows per second; small rates keep a decimal. */
const char *
units_rate(double v, int exact, char *buf, size_t len)
{
	if (exact)
		snprintf(buf, len, "%.1f", v);
	else if (v >= 999.5)
		units_human(v, buf, len);
	else if (v < 9.95)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.0f", v);
	return buf;
}

/* 45s, 12m30s, 3h05m, 2d04h: two units at most. */
const char *
units_duration(uint64_t msec, char *buf, size_t len)
{
	uint64_t s = msec / 1000;

	if (s < 60)
		snprintf(buf, len, "%" PRIu64 "s", s);
	else if (s < 3600)
		snprintf(buf, len, "%" PRIu64 "m%02" PRIu64 "s", s / 60,
		    s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
		    s % 3600 / 60);
	else
		snprintf(buf, len, "%" PRIu64 "d%02" PRIu64 "h", s / 86400,
		    s % 86400 / 3600);
	return buf;
}
