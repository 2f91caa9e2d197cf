/*
 * dns.c - the reverse-DNS cache and its queries (dns.h).
 *
 * The cache is set-associative: an address hashes to a set of DNS_WAYS
 * entries and pushes out the least recently used one that is not waiting
 * for an answer.  A query holds only the address, so an answer for an
 * entry pushed out meanwhile is dropped.  Owned by the UI: created when
 * the user first turns names on, kept (on or off) until the UI ends,
 * because libevent may run a query's callback in a later loop pass than
 * the one that would free it.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/dns.h>
#include <event2/event.h>

#include "dns.h"
#include "fault.h"
#include "hash.h"
#include "sanitize.h"
#include "xmalloc.h"

enum dns_state {
	DNS_EMPTY,
	DNS_PENDING,
	DNS_NAMED,
	DNS_NONE		/* no name: failed, refused or timed out */
};

struct dns_entry {
	struct flow_addr addr;
	uint8_t		 state;
	uint64_t	 used;		/* tick of the last lookup */
	uint64_t	 expires;	/* tick */
	char		 name[DNS_NAME_MAX];
};

struct dns_query;

struct dns {
	struct evdns_base *base;
	struct dns_query *out[DNS_INFLIGHT_MAX];	/* queries in flight */
	struct dns_entry *cache;	/* DNS_SETS * DNS_WAYS */
	uint64_t	 seed;
	uint64_t	 tick;
	unsigned	 budget;	/* queries left this tick */
	dns_done_cb	 done;
	void		*ctx;
	struct dns_stats st;
};

struct dns_query {
	struct dns	*d;
	struct flow_addr addr;
};

static struct dns_entry *
dns_set(struct dns *d, const struct flow_addr *a)
{
	uint64_t h = hash_bytes(a->b, sizeof(a->b), d->seed);

	return &d->cache[(h & (DNS_SETS - 1)) * DNS_WAYS];
}

static struct dns_entry *
dns_find(struct dns *d, const struct flow_addr *a)
{
	struct dns_entry *set = dns_set(d, a);
	int i;

	for (i = 0; i < DNS_WAYS; i++)
		if (set[i].state != DNS_EMPTY &&
		    memcmp(&set[i].addr, a, sizeof(*a)) == 0)
			return &set[i];
	return NULL;
}

/* The entry to reuse for a new address, or NULL if all are waiting. */
static struct dns_entry *
dns_victim(struct dns *d, const struct flow_addr *a)
{
	struct dns_entry *set = dns_set(d, a), *best = NULL;
	int i;

	for (i = 0; i < DNS_WAYS; i++) {
		if (set[i].state == DNS_EMPTY)
			return &set[i];
		if (set[i].state != DNS_PENDING &&
		    (best == NULL || set[i].used < best->used))
			best = &set[i];
	}
	return best;
}

/* A query is in flight from dns_query() until its answer comes. */
static void
dns_forget(struct dns *d, struct dns_query *q)
{
	int i;

	for (i = 0; i < DNS_INFLIGHT_MAX; i++)
		if (d->out[i] == q) {
			d->out[i] = NULL;
			d->st.inflight--;
			return;
		}
}

static void
dns_answer(int result, char type, int count, int ttl, void *addresses,
    void *arg)
{
	struct dns_query *q = arg;
	struct dns *d = q->d;
	struct dns_entry *e;
	const char *name;

	dns_forget(d, q);
	if (result == DNS_ERR_SHUTDOWN || (e = dns_find(d, &q->addr)) ==
	    NULL || e->state != DNS_PENDING) {
		free(q);
		return;
	}
	if (result == DNS_ERR_NONE && type == DNS_PTR && count > 0 &&
	    (name = *(char **)addresses) != NULL && *name != '\0') {
		sanitize_label(e->name, sizeof(e->name), (const uint8_t *)name,
		    strlen(name));
		e->state = DNS_NAMED;
		e->expires = d->tick + DNS_TTL_NAME;
		d->st.names++;
	} else {
		e->state = DNS_NONE;
		e->expires = d->tick + DNS_TTL_NONE;
		d->st.failures++;
		if (result == DNS_ERR_TIMEOUT)
			fault_count(FAULT_DNS_TIMEOUT);
	}
	free(q);
	if (d->done != NULL)
		d->done(d->ctx);
}

static int
dns_query(struct dns *d, struct dns_entry *e)
{
	struct dns_query *q = xcalloc(1, sizeof(*q));
	struct evdns_request *r;
	struct in_addr in4;
	struct in6_addr in6;
	uint32_t v4;
	int i;

	for (i = 0; i < DNS_INFLIGHT_MAX && d->out[i] != NULL; i++)
		;
	if (i == DNS_INFLIGHT_MAX) {
		free(q);
		return -1;
	}
	q->d = d;
	q->addr = e->addr;
	if (flow_addr_is4(&e->addr)) {
		v4 = htonl(flow_addr_get4(&e->addr));
		memcpy(&in4, &v4, sizeof(in4));
		r = evdns_base_resolve_reverse(d->base, &in4, 0, dns_answer,
		    q);
	} else {
		memcpy(&in6, e->addr.b, sizeof(in6));
		r = evdns_base_resolve_reverse_ipv6(d->base, &in6, 0,
		    dns_answer, q);
	}
	if (r == NULL) {
		free(q);
		return -1;
	}
	d->out[i] = q;
	d->st.queries++;
	d->st.inflight++;
	return 0;
}

/*
 * The name of a, or NULL: not known (yet).  An unknown address is
 * queried when this tick's budget and the in-flight cap allow; otherwise
 * a later call asks again.
 */
const char *
dns_name(struct dns *d, const struct flow_addr *a)
{
	struct dns_entry *e;

	if ((e = dns_find(d, a)) != NULL) {
		e->used = d->tick;
		if (e->state == DNS_NAMED && e->expires > d->tick)
			return e->name;
		if (e->state == DNS_PENDING || e->expires > d->tick)
			return NULL;
	}
	if (d->budget == 0 || d->st.inflight >= DNS_INFLIGHT_MAX) {
		d->st.limited++;
		return e != NULL && e->state == DNS_NAMED ? e->name : NULL;
	}
	if (e == NULL && (e = dns_victim(d, a)) == NULL)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->addr = *a;
	e->state = DNS_PENDING;
	e->used = d->tick;
	d->budget--;
	if (dns_query(d, e) != 0) {
		e->state = DNS_NONE;
		e->expires = d->tick + DNS_TTL_NONE;
	}
	return NULL;
}

/* The name of a if the cache has it; never queries (for row labels). */
const char *
dns_cached(struct dns *d, const struct flow_addr *a)
{
	struct dns_entry *e = dns_find(d, a);

	return e != NULL && e->state == DNS_NAMED ? e->name : NULL;
}

/* A new second: the query budget refills and entries age. */
void
dns_tick(struct dns *d)
{
	d->tick++;
	d->budget = DNS_QUERIES_PER_TICK;
}

const struct dns_stats *
dns_stats(const struct dns *d)
{
	return &d->st;
}

/* evdns would print to stderr, over the screen: its notes go nowhere. */
static void
dns_log(int severity, const char *msg)
{
	(void)severity;
	(void)msg;
}

struct dns *
dns_create(struct event_base *base, dns_done_cb done, void *ctx, char *err,
    size_t errlen)
{
	struct dns *d = xcalloc(1, sizeof(*d));
	const char *server = getenv("NFTOP_DNS_SERVER");

	evdns_set_log_fn(dns_log);
	d->base = evdns_base_new(base, (server != NULL && *server != '\0' ?
	    0 : EVDNS_BASE_INITIALIZE_NAMESERVERS |
	    EVDNS_BASE_NAMESERVERS_NO_DEFAULT) |
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	if (d->base == NULL) {
		snprintf(err, errlen, "cannot start the resolver");
		free(d);
		return NULL;
	}
	if (server != NULL && *server != '\0' &&
	    evdns_base_nameserver_ip_add(d->base, server) != 0) {
		snprintf(err, errlen, "NFTOP_DNS_SERVER: '%s' is not"
		    " ADDR[:PORT]", server);
		dns_free(d);
		return NULL;
	}
	if (evdns_base_count_nameservers(d->base) == 0) {
		snprintf(err, errlen, "no name server in /etc/resolv.conf");
		dns_free(d);
		return NULL;
	}
	/*
	 * A silent server costs two seconds per name, then "no name"; one
	 * address that never resolves must not mark the server down for
	 * all the others (evdns does after max-timeouts in a row).
	 */
	evdns_base_set_option(d->base, "timeout:", "2");
	evdns_base_set_option(d->base, "attempts:", "1");
	evdns_base_set_option(d->base, "max-timeouts:", "255");
	d->cache = xcalloc((size_t)DNS_SETS * DNS_WAYS, sizeof(*d->cache));
	d->seed = hash_random_key();
	d->budget = DNS_QUERIES_PER_TICK;
	d->done = done;
	d->ctx = ctx;
	return d;
}

/*
 * Called once, when the UI ends and the loop runs no more: the queries
 * still out are dropped without their callbacks (which libevent would
 * defer to a loop pass that never comes), and freed here.
 */
void
dns_free(struct dns *d)
{
	int i;

	if (d == NULL)
		return;
	if (d->base != NULL)
		evdns_base_free(d->base, 0);
	for (i = 0; i < DNS_INFLIGHT_MAX; i++)
		free(d->out[i]);
	free(d->cache);
	free(d);
}
