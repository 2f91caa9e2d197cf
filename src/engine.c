/*
 * engine.c - the calls front ends use to change the active view, and the
 * extra views that follow it.
 */
#include <stdio.h>

#include "channel.h"
#include "collector.h"
#include "engine.h"
#include "filter.h"
#include "ifnames.h"
#include "keys.h"
#include "source.h"
#include "store.h"
#include "tmpl.h"
#include "view.h"

/* A filter for the engine's views: exporter primitives see the sources. */
static struct filter *
engine_filter(struct engine *e, const char *text, char *err, size_t errlen)
{
	struct filter *f;

	if ((f = filter_compile(text, err, errlen)) != NULL)
		filter_set_sources(f, e->sources);
	return f;
}

/*
 * Compiles the text once per view first, so that either every view gets
 * the new filter or none does.
 */
int
engine_set_filter(struct engine *e, const char *text, char *err,
    size_t errlen)
{
	struct filter *f, *fx[ENGINE_EXTRA_MAX] = { NULL };
	int i;

	if ((f = engine_filter(e, text, err, errlen)) == NULL)
		return -1;
	for (i = 0; i < ENGINE_EXTRA_MAX; i++) {
		if (e->extra[i] == NULL)
			continue;
		if ((fx[i] = engine_filter(e, text, err, errlen)) == NULL) {
			while (i-- > 0)
				filter_free(fx[i]);
			filter_free(f);
			return -1;
		}
	}
	view_set_filter(e->view, f);
	for (i = 0; i < ENGINE_EXTRA_MAX; i++)
		if (fx[i] != NULL)
			view_set_filter(e->extra[i], fx[i]);
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
	int i;

	if (view_window_parse(text, &msec) != 0) {
		snprintf(err, errlen, "bad window '%s' (want 10s, 5m, 1h,"
		    " 1d or all)", text);
		return -1;
	}
	view_set_window(e->view, msec);
	for (i = 0; i < ENGINE_EXTRA_MAX; i++)
		if (e->extra[i] != NULL && e->extra_follow[i])
			view_set_window(e->extra[i], msec);
	if (e->channels != NULL)
		channel_set_window(e->channels, msec);
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

/*
 * Adds a view over the retained history keyed by keys, with the active
 * view's filter and key limit, and window_msec as its window (0 = all;
 * ENGINE_WINDOW_FOLLOW = the active view's, now and after every change).
 * NULL with a message in err when the keys do not parse or all extra
 * slots are taken.  The engine owns the view until engine_view_remove().
 */
struct view *
engine_view_add(struct engine *e, const char *keys, enum agg_order order,
    uint64_t window_msec, char *err, size_t errlen)
{
	struct key_spec ks;
	struct filter *f;
	int i, follow = window_msec == ENGINE_WINDOW_FOLLOW;

	for (i = 0; i < ENGINE_EXTRA_MAX && e->extra[i] != NULL; i++)
		;
	if (i == ENGINE_EXTRA_MAX) {
		snprintf(err, errlen, "more than %d extra views",
		    ENGINE_EXTRA_MAX);
		return NULL;
	}
	if (key_spec_parse(&ks, keys, err, errlen) != 0)
		return NULL;
	if ((f = engine_filter(e, filter_text(e->view->filter), err,
	    errlen)) == NULL)
		return NULL;
	e->extra[i] = view_create(e->store, f, &ks, order, follow ?
	    e->view->window_msec : window_msec, e->view->key_max);
	e->extra_follow[i] = (uint8_t)follow;
	return e->extra[i];
}

void
engine_view_remove(struct engine *e, struct view *v)
{
	int i;

	if (v == NULL)
		return;
	for (i = 0; i < ENGINE_EXTRA_MAX; i++)
		if (e->extra[i] == v) {
			e->extra[i] = NULL;
			e->extra_follow[i] = 0;
		}
	view_free(v);
}

/*
 * Ages records out of every window at the engine's clock, without moving
 * it.  With --read the clock is the file's and no tick moves it, so a
 * front end calls this before it reads the views.
 */
void
engine_expire(struct engine *e)
{
	store_set_now(e->store, e->store->now_msec);
}

/* Receive times of the oldest retained record and of the clock. */
void
engine_history_span(const struct engine *e, uint64_t *oldest_msec,
    uint64_t *newest_msec)
{
	const struct store *s = e->store;

	*newest_msec = s->now_msec;
	*oldest_msec = s->head > 0 ? store_get(s, store_oldest(s))->recv_msec :
	    s->now_msec;
}

/*
 * The history cursor: every view and the channels show the window ending
 * at end_msec, clamped to the retained history; 0 (or a time at or past
 * the clock) is live again.
 */
void
engine_set_pin(struct engine *e, uint64_t end_msec)
{
	uint64_t oldest, newest;
	int i;

	engine_history_span(e, &oldest, &newest);
	if (end_msec >= newest)
		end_msec = 0;
	else if (end_msec != 0 && end_msec < oldest)
		end_msec = oldest;
	e->pin_msec = end_msec;
	view_set_pin(e->view, end_msec);
	for (i = 0; i < ENGINE_EXTRA_MAX; i++)
		if (e->extra[i] != NULL)
			view_set_pin(e->extra[i], end_msec);
	if (e->channels != NULL)
		channel_set_pin(e->channels, end_msec);
}

/*
 * An interface's name: the one its exporter announced, else the user's
 * names file; NULL when neither knows it.
 */
const char *
engine_ifname(const struct engine *e, uint16_t source, uint32_t ifindex)
{
	const char *name = NULL;

	if (e->dec.tmpls != NULL)
		name = tmpl_ifname(e->dec.tmpls, source, ifindex);
	if (name == NULL && e->ifnames != NULL && source < e->sources->n)
		name = ifnames_get(e->ifnames, &e->sources->v[source].addr,
		    ifindex);
	return name;
}
