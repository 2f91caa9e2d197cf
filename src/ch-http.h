/*
 * ch-http.h - talking to ClickHouse's HTTP interface through libevent's
 * HTTP client, for the sink (ch-sink.c) and the source (ch-source.c).
 *
 * The URL is http://HOST[:PORT][/][?table=NAME&database=DB&user=U&...]:
 * "table" names nftop's table (default "flows"); every other parameter
 * goes to ClickHouse with each request (database, user, password and
 * ClickHouse's own settings).  Requests never block the loop: connecting,
 * sending and reading are libevent events, host names are resolved by
 * evdns, and each request has a time limit.  Requests queue on one
 * keep-alive connection, at most CH_HTTP_PENDING at once.
 */
#ifndef NFTOP_CH_HTTP_H
#define NFTOP_CH_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "ch-schema.h"

struct event_base;
struct evdns_base;
struct evhttp_connection;
struct evbuffer;

#define CH_HTTP_PENDING	32
#define CH_ERR_MAX	160

/*
 * Called once per request: status 200 and the response body, or another
 * status (0 when there was no answer) and a one-line reason, sanitized.
 */
typedef void (*ch_http_cb)(int status, struct evbuffer *body,
    const char *err, void *arg);

struct ch_http;

struct ch_req {
	struct ch_http	*h;
	ch_http_cb	 cb;
	void		*arg;
	int		 busy;
};

struct ch_http {
	struct event_base	*base;
	struct evdns_base	*dns;		/* owned; NULL for an address */
	struct evhttp_connection *conn;
	char			 host[256];
	uint16_t		 port;
	char			 params[1024];	/* "&k=v..." passed through */
	char			 table[CH_TABLE_MAX];
	char			 url[512];	/* for messages, no password */
	struct ch_req		 req[CH_HTTP_PENDING];
};

int	ch_http_init(struct ch_http *, struct event_base *, const char *url,
	    int timeout_sec, size_t max_body, char *err, size_t errlen);
void	ch_http_free(struct ch_http *);
int	ch_http_post(struct ch_http *, const char *url_query,
	    struct evbuffer *body, ch_http_cb, void *arg);
int	ch_http_pending(const struct ch_http *);

#endif
