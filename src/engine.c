/*
 * engine.c - the calls front ends use to change the active view.
 */
#include <stdio.h>

#include "collector.h"
#include "engine.h"
#include "filter.h"
#include "keys.h"
#include "view.h"

int
engine_set_filter(struct engine *e, const char *text, char *err,
    size_t errlen)
{
	struct filter *f;

	if ((f = filter_compile(text, err, errlen)) == NULL)
		return -1;
	view_set_filter(e->view, f);
	return 0;
}

int
engine_set_aggregate(struct engine *e, const char *text, char *err,
    size_t errlen)
{
	struct key_spec ks;

	if (key_spec_parse(&ks, text, err, errlen) != 0)
		return -1;
	view_set_key(e->view, &ks);
	return 0;
}

int
engine_set_window(struct engine *e, const char *text, char *err,
    size_t errlen)
{
	uint64_t msec;

	if (view_window_parse(text, &msec) != 0) {
		snprintf(err, errlen, "bad window '%s' (want 10s, 5m, 1h,"
		    " 1d or all)", text);
		return -1;
	}
	view_set_window(e->view, msec);
	return 0;
}

void
engine_set_order(struct engine *e, enum agg_order o)
{
	view_set_order(e->view, o);
}

/* Datagrams the kernel dropped on all listeners. */
uint64_t
engine_kernel_drops(const struct engine *e)
{
	return e->coll != NULL ? collector_drops(e->coll) : 0;
}
