/*
 * series.c - the per-second ring behind sparklines and 2/10/40 s rates.
 */
#include <string.h>

#include "series.h"

void
series_clear(struct series *s)
{
	memset(s, 0, sizeof(*s));
}

void
series_add(struct series *s, uint64_t msec, const struct agg_counts *c)
{
	uint64_t sec;
	size_t i;

	/*
	 * Records come in time order, many per second: most land in the
	 * bucket the last one did, found without a division.
	 */
	if (msec >= s->hot_msec && msec - s->hot_msec < 1000 &&
	    s->sec[s->hot] == s->hot_msec / 1000)
		i = s->hot;
	else {
		sec = msec / 1000;
		i = sec % SERIES_SECS;
		if (s->sec[i] != sec) {
			/* An older second wins no bucket from a newer one. */
			if (s->sec[i] > sec)
				return;
			s->sec[i] = sec;
			memset(&s->c[i], 0, sizeof(s->c[i]));
		}
		s->hot = i;
		s->hot_msec = sec * 1000;
	}
	s->c[i].flows += c->flows;
	s->c[i].pkts += c->pkts;
	s->c[i].bytes += c->bytes;
}

void
series_get(const struct series *s, uint64_t sec, struct agg_counts *c)
{
	size_t i = sec % SERIES_SECS;

	if (s->sec[i] == sec)
		*c = s->c[i];
	else
		memset(c, 0, sizeof(*c));
}

/* Sums the seconds in [from_sec, to_sec]. */
void
series_sum(const struct series *s, uint64_t from_sec, uint64_t to_sec,
    struct agg_counts *sum)
{
	struct agg_counts c;
	uint64_t t;

	memset(sum, 0, sizeof(*sum));
	if (to_sec >= SERIES_SECS && from_sec < to_sec - SERIES_SECS + 1)
		from_sec = to_sec - SERIES_SECS + 1;
	for (t = from_sec; t <= to_sec; t++) {
		series_get(s, t, &c);
		sum->flows += c.flows;
		sum->pkts += c.pkts;
		sum->bytes += c.bytes;
	}
}
