/*
 * engine.h - the engine's parts wired together, as the front ends see them.
 *
 * main.c builds one engine; the batch printers and the ncurses UI read its
 * view, sources and counters, and change the view only through the
 * engine_set_* calls, which report bad input as an error text and leave
 * the view as it was.
 *
 * Extra views (engine_view_add) are views a front end needs beside the
 * active one: the UI's services table, the flow totals per interface, the
 * top keys of the last seconds.  They always have the active view's
 * filter, and its window unless they were given their own; the
 * engine_set_* calls change them together.
 *
 * Analysis (issue 7): e->channels (channel.h), e->alerts (alert.h),
 * e->geo (geo.h) and e->ifnames (ifnames.h) are NULL when not in use.
 * engine_set_window() and engine_set_pin() move the channels with the
 * views.  History cursor: engine_set_pin(e, end_msec) pins the active view,
 * the extra views and the channels to the window ending at end_msec
 * (clamped to engine_history_span()); engine_set_pin(e, 0) goes back to
 * live.  e->pin_msec says where the cursor is (0 = live).  Burst mode is
 * computed on demand with burst_top(e->view, ...) (burst.h).
 */
#ifndef NFTOP_ENGINE_H
#define NFTOP_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "decode.h"

struct event_base;
struct store;
struct source_table;
struct view;
struct collector;
struct pcapread;
struct demo;
struct config;
struct ch_sink;
struct ch_source;
struct channel_set;
struct alerts;
struct geo;
struct ifnames;

#define ENGINE_EXTRA_MAX	4	/* extra views at once */
#define ENGINE_WINDOW_FOLLOW	UINT64_MAX	/* the active view's window */

struct engine {
	struct event_base	*base;
	struct store		*store;
	struct source_table	*sources;
	struct decoder		 dec;
	struct view		*view;
	struct collector	*coll;
	struct pcapread		*reader;	/* --read, until its end */
	const char		*read_path;
	int			 read_done;
	struct demo		*demo;
	size_t			 top;
	uint64_t		 start_msec;
	const struct config	*config;	/* settings file; may be NULL */
	const char		*order_name;	/* --order or the settings'
						 * order as given (bps, pps:
						 * the screen's); may be NULL */
	struct view		*extra[ENGINE_EXTRA_MAX];
	uint8_t			 extra_follow[ENGINE_EXTRA_MAX];
	/* ClickHouse (--clickhouse, --from-clickhouse); may be NULL.  A
	 * filter the views' source cannot compute is refused by check. */
	struct ch_sink		*ch_sink;
	struct ch_source	*ch_source;
	int			(*filter_check)(void *, const char *, char *,
				    size_t);
	void			*filter_check_arg;
	struct channel_set	*channels;	/* NULL: none */
	struct alerts		*alerts;	/* NULL: detectors off */
	struct geo		*geo;		/* NULL: no database */
	struct ifnames		*ifnames;	/* NULL: no names file */
	uint64_t		 pin_msec;	/* history cursor; 0 = live */
};

int	engine_set_filter(struct engine *, const char *, char *err, size_t);
int	engine_set_aggregate(struct engine *, const char *, char *err, size_t);
int	engine_set_window(struct engine *, const char *, char *err, size_t);
void	engine_set_order(struct engine *, enum agg_order);
uint64_t engine_kernel_drops(const struct engine *);
struct view *engine_view_add(struct engine *, const char *keys,
	    enum agg_order, uint64_t window_msec, char *err, size_t);
void	engine_view_remove(struct engine *, struct view *);
void	engine_expire(struct engine *);
void	engine_set_pin(struct engine *, uint64_t end_msec);
void	engine_history_span(const struct engine *, uint64_t *oldest_msec,
	    uint64_t *newest_msec);
const char *engine_ifname(const struct engine *, uint16_t source,
	    uint32_t ifindex);

#endif
