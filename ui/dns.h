/*
 * dns.h - reverse DNS for the addresses on screen, through libevent's
 * asynchronous resolver (evdns), so a slow or silent server never stalls
 * the loop.
 *
 * dns_name() answers from a bounded cache and, for an address it has not
 * seen, queues a PTR query if the rate limit allows; the screen shows the
 * address until the name comes, and for good if none does.  Names come
 * from the network: they are escaped (sanitize_label: controls, bidi
 * overrides and bad UTF-8 become \xHH or \u{...}) before they are kept.
 * The server is the system's (/etc/resolv.conf), or NFTOP_DNS_SERVER
 * (ADDR[:PORT], for tests).
 */
#ifndef NFTOP_UI_DNS_H
#define NFTOP_UI_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

#define DNS_SETS		1024	/* cache: sets of DNS_WAYS names */
#define DNS_WAYS		4
#define DNS_NAME_MAX		256
#define DNS_QUERIES_PER_TICK	20	/* new queries a second */
#define DNS_INFLIGHT_MAX	64
#define DNS_TTL_NAME		3600	/* seconds a name is kept */
#define DNS_TTL_NONE		300	/* and a failure */

struct event_base;
struct dns;

typedef void (*dns_done_cb)(void *ctx);

struct dns_stats {
	uint64_t	queries;
	uint64_t	names;
	uint64_t	failures;
	uint64_t	limited;	/* lookups put off by the rate limit */
	uint32_t	inflight;
};

struct dns	*dns_create(struct event_base *, dns_done_cb, void *ctx,
		    char *err, size_t errlen);
void		 dns_free(struct dns *);
const char	*dns_name(struct dns *, const struct flow_addr *);
const char	*dns_cached(struct dns *, const struct flow_addr *);
void		 dns_tick(struct dns *);
const struct dns_stats *dns_stats(const struct dns *);

#endif
