/*
 * channel.c - channels and profiles counted over the retained history.
 *
 * The set observes the store: each arriving record is matched against
 * every channel once and the bits are kept in match[], parallel to the
 * ring; aging out and eviction subtract by those bits.  win_start is the
 * first sequence still inside the window, whatever matched, so that a
 * channel added later knows where the window begins.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "chanfile.h"
#include "channel.h"
#include "filter.h"
#include "store.h"
#include "xmalloc.h"

#define CHANNEL_DEFAULT_PROFILE	"live"

static void	channel_on_add(void *, uint64_t, const struct flow_rec *);
static void	channel_on_evict(void *, uint64_t, const struct flow_rec *);
static void	channel_on_now(void *);

struct channel_set *
channel_set_create(struct store *s, const struct source_table *sources,
    uint64_t window_msec)
{
	struct channel_set *cs = xcalloc(1, sizeof(*cs));
	struct store_observer o = { channel_on_add, channel_on_evict,
	    channel_on_now, cs };

	cs->store = s;
	cs->sources = sources;
	cs->window_msec = window_msec;
	/* calloc'ed: the kernel backs the pages only as the ring fills. */
	cs->match = xcalloc((size_t)s->cap, sizeof(*cs->match));
	cs->win_start = s->head;
	store_observe(s, &o);
	return cs;
}

/* Backs the match bits of the whole ring now: for live collectors. */
void
channel_set_prefault(struct channel_set *cs)
{
	if (cs != NULL)
		bigmem_prefault(cs->match, (size_t)cs->store->cap *
		    sizeof(*cs->match));
}

void
channel_set_free(struct channel_set *cs)
{
	int i;

	if (cs == NULL)
		return;
	store_unobserve(cs->store, cs);
	for (i = 0; i < CHANNEL_MAX; i++)
		filter_free(cs->ch[i].filter);
	free(cs->match);
	free(cs);
}

static uint64_t *
match_of(const struct channel_set *cs, uint64_t seq)
{
	return &cs->match[store_index(cs->store, seq)];
}

/*
 * The bits of a record the store handed over, by its place in the ring:
 * no 64-bit division per record, as match_of() would take.
 */
static uint64_t *
match_at(const struct channel_set *cs, const struct flow_rec *slot)
{
	return &cs->match[slot - cs->store->ring];
}

static void
counts_add(struct agg_counts *t, const struct agg_counts *c, int sign)
{
	if (sign > 0)
		agg_counts_add(t, c);
	else
		agg_counts_sub(t, c);
}

/*
 * Every record visits its channels by their bits, lowest first: a loop
 * over all CHANNEL_MAX places, three times, cost more than the filters.
 */
static int
channel_next(uint64_t *bits)
{
	int i = __builtin_ctzll(*bits);

	*bits &= *bits - 1;
	return i;
}

/* Counts a record in (sign > 0) or out of its channels and profiles. */
static void
channel_count(struct channel_set *cs, uint64_t bits,
    const struct flow_rec *r, int sign)
{
	struct agg_counts c = agg_counts_of(r);
	uint64_t m;
	int i;

	for (m = bits; m != 0;)
		counts_add(&cs->ch[channel_next(&m)].totals, &c, sign);
	for (i = 0; i < cs->nprofiles; i++)
		if (bits & cs->profiles[i].mask)
			counts_add(&cs->profiles[i].totals, &c, sign);
	cs->generation++;
}

static void
channel_series(struct channel_set *cs, uint64_t bits,
    const struct flow_rec *r)
{
	struct agg_counts c = agg_counts_of(r);
	uint64_t m;
	int i;

	for (m = bits; m != 0;)
		series_add(&cs->ch[channel_next(&m)].series, r->recv_msec,
		    &c);
	for (i = 0; i < cs->nprofiles; i++)
		if (bits & cs->profiles[i].mask)
			series_add(&cs->profiles[i].series, r->recv_msec, &c);
}

/*
 * Splits the channels in use into those whose filter tests the protocol
 * alone, answered for every record by one lookup, and the rest.  The
 * live profile's four are all of the first kind.
 */
static void
channel_index(struct channel_set *cs)
{
	uint8_t map[32];
	uint64_t m, bit;
	unsigned p;
	int i;

	cs->by_filter = 0;
	memset(cs->by_proto, 0, sizeof(cs->by_proto));
	for (m = cs->used; m != 0;) {
		i = channel_next(&m);
		bit = UINT64_C(1) << i;
		if (!filter_proto_only(cs->ch[i].filter, map)) {
			cs->by_filter |= bit;
			continue;
		}
		for (p = 0; p < 256; p++)
			if (map[p / 8] & (1u << (p % 8)))
				cs->by_proto[p] |= bit;
	}
}

static uint64_t
channel_match(const struct channel_set *cs, const struct flow_rec *r)
{
	uint64_t bits = cs->by_proto[r->proto], m;
	int i;

	for (m = cs->by_filter; m != 0;) {
		i = channel_next(&m);
		if (filter_match(cs->ch[i].filter, r))
			bits |= UINT64_C(1) << i;
	}
	return bits;
}

static void
channel_on_add(void *ctx, uint64_t seq, const struct flow_rec *r)
{
	struct channel_set *cs = ctx;
	uint64_t bits;

	(void)seq;
	/* Pinned to the past: a record of now is after the window. */
	bits = cs->pin_msec != 0 ? 0 : channel_match(cs, r);
	*match_at(cs, r) = bits;
	if (bits == 0)
		return;
	channel_series(cs, bits, r);
	channel_count(cs, bits, r, +1);
}

static void
channel_on_evict(void *ctx, uint64_t seq, const struct flow_rec *r)
{
	struct channel_set *cs = ctx;
	uint64_t bits;

	if (seq < cs->win_start)
		return;			/* already aged out */
	cs->win_start = seq + 1;
	/* Window "all" keeps counting what the ring no longer holds. */
	if (cs->window_msec == 0 || (bits = *match_at(cs, r)) == 0)
		return;
	channel_count(cs, bits, r, -1);
}

static void
channel_on_now(void *ctx)
{
	struct channel_set *cs = ctx;
	const struct store *s = cs->store;
	const struct flow_rec *r;
	uint64_t limit, bits, i;

	if (cs->pin_msec != 0 || cs->window_msec == 0 ||
	    s->now_msec < cs->window_msec)
		return;
	limit = s->now_msec - cs->window_msec;
	i = store_index(s, cs->win_start);
	for (; cs->win_start < s->head; cs->win_start++, i = store_step(s, i)) {
		r = &s->ring[i];
		if (r->recv_msec > limit)
			break;
		if ((bits = cs->match[i]) != 0)
			channel_count(cs, bits, r, -1);
	}
}

uint64_t
channel_set_end_msec(const struct channel_set *cs)
{
	return cs->pin_msec != 0 ? cs->pin_msec : cs->store->now_msec;
}

/* The window's lower bound: records received at or before it are out. */
static uint64_t
channel_limit(const struct channel_set *cs)
{
	uint64_t end = channel_set_end_msec(cs);

	if (cs->window_msec == 0 || end <= cs->window_msec)
		return 0;
	return end - cs->window_msec;
}

static int
channel_in_range(const struct channel_set *cs, const struct flow_rec *r,
    uint64_t limit)
{
	if (cs->pin_msec != 0 && r->recv_msec > cs->pin_msec)
		return 0;
	return cs->window_msec == 0 || r->recv_msec > limit;
}

/*
 * Recounts the profiles from the match bits alone (no filter runs), after
 * their channel lists changed.
 */
static void
channel_recount_profiles(struct channel_set *cs)
{
	const struct store *s = cs->store;
	const struct flow_rec *r;
	struct agg_counts c;
	uint64_t seq, bits, limit = channel_limit(cs);
	int p;

	for (p = 0; p < cs->nprofiles; p++) {
		memset(&cs->profiles[p].totals, 0, sizeof(struct agg_counts));
		series_clear(&cs->profiles[p].series);
	}
	for (seq = store_oldest(s); seq < s->head; seq++) {
		store_poll(s, seq);
		if ((bits = *match_of(cs, seq)) == 0)
			continue;
		r = store_get(s, seq);
		c = agg_counts_of(r);
		for (p = 0; p < cs->nprofiles; p++) {
			if ((bits & cs->profiles[p].mask) == 0)
				continue;
			series_add(&cs->profiles[p].series, r->recv_msec, &c);
			if (seq >= cs->win_start && channel_in_range(cs, r,
			    limit))
				counts_add(&cs->profiles[p].totals, &c, +1);
		}
	}
	cs->generation++;
}

/* Counts one new channel from the retained records. */
static void
channel_fill(struct channel_set *cs, int i)
{
	const struct store *s = cs->store;
	struct channel *ch = &cs->ch[i];
	const struct flow_rec *r;
	struct agg_counts c;
	uint64_t seq, limit = channel_limit(cs);

	for (seq = store_oldest(s); seq < s->head; seq++) {
		store_poll(s, seq);
		r = store_get(s, seq);
		if (cs->pin_msec != 0 && r->recv_msec > cs->pin_msec)
			continue;
		if (!filter_match(ch->filter, r))
			continue;
		*match_of(cs, seq) |= UINT64_C(1) << i;
		c = agg_counts_of(r);
		series_add(&ch->series, r->recv_msec, &c);
		if (seq >= cs->win_start && channel_in_range(cs, r, limit))
			counts_add(&ch->totals, &c, +1);
	}
}

void
channel_set_rebuild(struct channel_set *cs)
{
	const struct store *s = cs->store;
	const struct flow_rec *r;
	uint64_t seq, bits, limit = channel_limit(cs);
	int i;

	for (i = 0; i < CHANNEL_MAX; i++) {
		memset(&cs->ch[i].totals, 0, sizeof(struct agg_counts));
		series_clear(&cs->ch[i].series);
	}
	for (i = 0; i < cs->nprofiles; i++) {
		memset(&cs->profiles[i].totals, 0, sizeof(struct agg_counts));
		series_clear(&cs->profiles[i].series);
	}
	cs->win_start = s->head;
	for (seq = store_oldest(s); seq < s->head; seq++) {
		store_poll(s, seq);
		r = store_get(s, seq);
		if (cs->pin_msec != 0 && r->recv_msec > cs->pin_msec) {
			*match_of(cs, seq) = 0;
			continue;
		}
		if (cs->win_start == s->head && (cs->window_msec == 0 ||
		    r->recv_msec > limit))
			cs->win_start = seq;
		bits = channel_match(cs, r);
		*match_of(cs, seq) = bits;
		if (bits == 0)
			continue;
		channel_series(cs, bits, r);
		if (seq >= cs->win_start)
			channel_count(cs, bits, r, +1);
	}
	cs->generation++;
}

void
channel_set_window(struct channel_set *cs, uint64_t msec)
{
	cs->window_msec = msec;
	channel_set_rebuild(cs);
}

void
channel_set_pin(struct channel_set *cs, uint64_t end_msec)
{
	cs->pin_msec = end_msec;
	channel_set_rebuild(cs);
}

double
channel_set_seconds(const struct channel_set *cs)
{
	const struct store *s = cs->store;
	uint64_t end = channel_set_end_msec(cs);
	uint64_t span = s->head > 0 && end > s->first_msec ?
	    end - s->first_msec : 0;

	if (cs->window_msec != 0 && cs->window_msec < span)
		span = cs->window_msec;
	return span < 1000 ? 1.0 : span / 1000.0;
}

void
channel_rate(const struct channel_set *cs, const struct agg_counts *c,
    double *bps, double *pps)
{
	double secs = channel_set_seconds(cs);

	*bps = c->bytes * 8.0 / secs;
	*pps = c->pkts / secs;
}

static int
channel_name_ok(const char *name)
{
	const char *p;

	if (*name == '\0' || strlen(name) >= CHANNEL_NAME_MAX)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("_.-", *p) == NULL)
			return 0;
	return 1;
}

static int
profile_find(const struct channel_set *cs, const char *name)
{
	int i;

	for (i = 0; i < cs->nprofiles; i++)
		if (strcmp(cs->profiles[i].name, name) == 0)
			return i;
	return -1;
}

static int
profile_get(struct channel_set *cs, const char *name, char *err,
    size_t errlen)
{
	int p;

	if (name == NULL)
		name = cs->nprofiles > 0 ? cs->profiles[0].name :
		    CHANNEL_DEFAULT_PROFILE;
	if ((p = profile_find(cs, name)) >= 0)
		return p;
	if (!channel_name_ok(name)) {
		snprintf(err, errlen, "bad profile name '%.40s' (1-%d of"
		    " A-Z a-z 0-9 _ . -)", name, CHANNEL_NAME_MAX - 1);
		return -1;
	}
	if (cs->nprofiles == CHANNEL_PROFILES_MAX) {
		snprintf(err, errlen, "more than %d profiles",
		    CHANNEL_PROFILES_MAX);
		return -1;
	}
	p = cs->nprofiles++;
	memset(&cs->profiles[p], 0, sizeof(cs->profiles[p]));
	snprintf(cs->profiles[p].name, sizeof(cs->profiles[p].name), "%s",
	    name);
	return p;
}

int
channel_find(const struct channel_set *cs, const char *profile,
    const char *name)
{
	int i, p = -1;

	if (profile != NULL && (p = profile_find(cs, profile)) < 0)
		return -1;
	for (i = 0; i < CHANNEL_MAX; i++)
		if (cs->ch[i].in_use && strcmp(cs->ch[i].name, name) == 0 &&
		    (p < 0 || cs->ch[i].profile == p))
			return i;
	return -1;
}

int
channel_add(struct channel_set *cs, const char *profile, const char *name,
    const char *text, char *err, size_t errlen)
{
	struct filter *f;
	int i, p;

	if (!channel_name_ok(name)) {
		snprintf(err, errlen, "bad channel name '%.40s' (1-%d of"
		    " A-Z a-z 0-9 _ . -)", name, CHANNEL_NAME_MAX - 1);
		return -1;
	}
	for (i = 0; i < CHANNEL_MAX && cs->ch[i].in_use; i++)
		;
	if (i == CHANNEL_MAX) {
		snprintf(err, errlen, "more than %d channels", CHANNEL_MAX);
		return -1;
	}
	if ((p = profile_get(cs, profile, err, errlen)) < 0)
		return -1;
	if (channel_find(cs, cs->profiles[p].name, name) >= 0) {
		snprintf(err, errlen, "channel '%s' is already in profile"
		    " '%s'", name, cs->profiles[p].name);
		return -1;
	}
	if ((f = filter_compile(text, err, errlen)) == NULL)
		return -1;
	if (cs->sources != NULL)
		filter_set_sources(f, cs->sources);
	memset(&cs->ch[i], 0, sizeof(cs->ch[i]));
	cs->ch[i].in_use = 1;
	cs->used |= UINT64_C(1) << i;
	cs->ch[i].profile = p;
	cs->ch[i].order = cs->next_order++;
	cs->ch[i].filter = f;
	snprintf(cs->ch[i].name, sizeof(cs->ch[i].name), "%s", name);
	cs->profiles[p].mask |= UINT64_C(1) << i;
	channel_index(cs);
	channel_fill(cs, i);
	channel_recount_profiles(cs);
	return i;
}

int
channel_remove(struct channel_set *cs, const char *profile, const char *name)
{
	const struct store *s = cs->store;
	uint64_t seq, bit;
	int i;

	if ((i = channel_find(cs, profile, name)) < 0)
		return -1;
	bit = UINT64_C(1) << i;
	cs->profiles[cs->ch[i].profile].mask &= ~bit;
	for (seq = store_oldest(s); seq < s->head; seq++)
		*match_of(cs, seq) &= ~bit;
	filter_free(cs->ch[i].filter);
	memset(&cs->ch[i], 0, sizeof(cs->ch[i]));
	/* Its filter is gone: the next record must not look for it. */
	cs->used &= ~bit;
	channel_index(cs);
	channel_recount_profiles(cs);
	return 0;
}

static int
channel_order_cmp(const void *a, const void *b)
{
	const struct channel *x = *(const struct channel *const *)a;
	const struct channel *y = *(const struct channel *const *)b;

	return x->order < y->order ? -1 : x->order > y->order;
}

size_t
channel_list(const struct channel_set *cs, int profile,
    const struct channel **out, size_t max)
{
	const struct channel *all[CHANNEL_MAX];
	size_t n = 0, i;
	int c;

	for (c = 0; c < CHANNEL_MAX; c++)
		if (cs->ch[c].in_use && cs->ch[c].profile == profile)
			all[n++] = &cs->ch[c];
	qsort(all, n, sizeof(all[0]), channel_order_cmp);
	for (i = 0; i < n && i < max; i++)
		out[i] = all[i];
	return i;
}

void
channel_set_defaults(struct channel_set *cs)
{
	static const char *const def[][2] = {
		{ "tcp", "proto tcp" },
		{ "udp", "proto udp" },
		{ "icmp", "proto icmp or proto icmp6" },
		{ "other", "not (proto tcp or proto udp or proto icmp or"
		    " proto icmp6)" },
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(def) / sizeof(def[0]); i++)
		if (channel_add(cs, CHANNEL_DEFAULT_PROFILE, def[i][0],
		    def[i][1], err, sizeof(err)) < 0)
			abort();	/* our own filters compile */
}

/*
 * The file is read twice: once to check every line (names, filters,
 * room), once to add, so that a bad file changes nothing.
 */
struct channel_load {
	struct channel_set	*cs;
	int			 apply;
	int			 n;		/* channels so far */
	char			 names[CHANNEL_MAX + 1][2 * CHANNEL_NAME_MAX];
	char			 profiles[CHANNEL_PROFILES_MAX][CHANNEL_NAME_MAX];
	int			 nprofiles;
};

static const char *
load_profile(const char *section)
{
	if (*section == '\0')
		return CHANNEL_DEFAULT_PROFILE;
	if (strncmp(section, "profile", 7) == 0 &&
	    (section[7] == ' ' || section[7] == '\t')) {
		section += 7;
		while (*section == ' ' || *section == '\t')
			section++;
		return section;
	}
	return NULL;
}

static int
channel_load_line(void *ctx, const char *section, const char *key,
    const char *value, char *err, size_t errlen)
{
	struct channel_load *cl = ctx;
	const char *profile;
	struct filter *f;
	int i;

	if (strcmp(section, "alerts") == 0 ||
	    strcmp(section, "signatures") == 0)
		return 0;
	if ((profile = load_profile(section)) == NULL) {
		snprintf(err, errlen, "unknown section [%.60s] (want [profile"
		    " NAME], [alerts] or [signatures])", section);
		return -1;
	}
	if (key == NULL) {
		if (channel_name_ok(profile))
			return 0;
		snprintf(err, errlen, "bad profile name '%.40s'", profile);
		return -1;
	}
	if (cl->apply)
		return channel_add(cl->cs, profile, key, value, err,
		    errlen) < 0 ? -1 : 0;
	if (!channel_name_ok(key) || !channel_name_ok(profile)) {
		snprintf(err, errlen, "bad name '%.40s' (1-%d of A-Z a-z 0-9"
		    " _ . -)", channel_name_ok(key) ? profile : key,
		    CHANNEL_NAME_MAX - 1);
		return -1;
	}
	if ((f = filter_compile(value, err, errlen)) == NULL)
		return -1;
	filter_free(f);
	if (cl->n == CHANNEL_MAX) {
		snprintf(err, errlen, "more than %d channels", CHANNEL_MAX);
		return -1;
	}
	snprintf(cl->names[cl->n], sizeof(cl->names[0]), "%s/%s", profile,
	    key);
	for (i = 0; i < cl->n; i++)
		if (strcmp(cl->names[i], cl->names[cl->n]) == 0)
			break;
	if (i < cl->n || channel_find(cl->cs, profile, key) >= 0) {
		snprintf(err, errlen, "channel '%s' is already in profile"
		    " '%s'", key, profile);
		return -1;
	}
	cl->n++;
	for (i = 0; i < cl->nprofiles; i++)
		if (strcmp(cl->profiles[i], profile) == 0)
			return 0;
	if (cl->nprofiles == CHANNEL_PROFILES_MAX) {
		snprintf(err, errlen, "more than %d profiles",
		    CHANNEL_PROFILES_MAX);
		return -1;
	}
	snprintf(cl->profiles[cl->nprofiles++], CHANNEL_NAME_MAX, "%s",
	    profile);
	return 0;
}

int
channel_set_load(struct channel_set *cs, const char *path, char *err,
    size_t errlen)
{
	struct channel_load cl;
	int i;

	memset(&cl, 0, sizeof(cl));
	cl.cs = cs;
	if (chanfile_read(path, channel_load_line, &cl, err, errlen) != 0)
		return -1;
	for (i = 0; i < CHANNEL_MAX; i++)
		if (cs->ch[i].in_use)
			cl.n++;
	if (cl.n > CHANNEL_MAX || (cl.n > 0 && cs->nprofiles +
	    cl.nprofiles > CHANNEL_PROFILES_MAX)) {
		snprintf(err, errlen, "%s: more than %d channels or %d"
		    " profiles in all", path, CHANNEL_MAX,
		    CHANNEL_PROFILES_MAX);
		return -1;
	}
	cl.apply = 1;
	return chanfile_read(path, channel_load_line, &cl, err, errlen);
}
