/*
 * ch-http.c - requests to ClickHouse's HTTP interface (see ch-http.h).
 *
 * A request's context lives in a fixed slot of struct ch_http, not on the
 * heap: libevent frees queued requests without calling back when the
 * connection is freed, and a slot needs no freeing.  What the server says
 * in an error comes from the network, so it is cut to one line and
 * passed through sanitize_label() before anyone shows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/dns.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>

#include "ch-http.h"
#include "sanitize.h"

static int
param_name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* Splits the query string: "table" is ours, the rest goes on as is. */
static int
ch_http_params(struct ch_http *h, const char *query, char *err,
    size_t errlen)
{
	struct evkeyvalq q;
	struct evkeyval *kv;
	char *enc;
	size_t off = 0;
	int rc = 0;

	q.tqh_first = NULL;
	q.tqh_last = &q.tqh_first;
	if (query != NULL && evhttp_parse_query_str(query, &q) != 0) {
		snprintf(err, errlen, "cannot read the URL's parameters");
		return -1;
	}
	for (kv = q.tqh_first; kv != NULL; kv = kv->next.tqe_next) {
		if (strcmp(kv->key, "table") == 0) {
			if (!ch_table_ok(kv->value)) {
				snprintf(err, errlen, "table '%.64s' is not a"
				    " name or database.name", kv->value);
				rc = -1;
				break;
			}
			snprintf(h->table, sizeof(h->table), "%s", kv->value);
			continue;
		}
		if (!param_name_ok(kv->key) || strcmp(kv->key, "query") == 0) {
			snprintf(err, errlen, "URL parameter '%.64s' cannot"
			    " be passed on", kv->key);
			rc = -1;
			break;
		}
		if ((enc = evhttp_encode_uri(kv->value)) == NULL) {
			rc = -1;
			break;
		}
		off += (size_t)snprintf(h->params + off, off <
		    sizeof(h->params) ? sizeof(h->params) - off : 0, "&%s=%s",
		    kv->key, enc);
		free(enc);
		if (off >= sizeof(h->params)) {
			snprintf(err, errlen, "URL parameters too long");
			rc = -1;
			break;
		}
	}
	evhttp_clear_headers(&q);
	return rc;
}

static int
host_is_address(const char *host)
{
	unsigned char buf[16];

	return evutil_inet_pton(AF_INET, host, buf) == 1 ||
	    evutil_inet_pton(AF_INET6, host, buf) == 1;
}

/*
 * Parses url and makes the connection (which connects at the first
 * request).  0, or -1 with a message in err.
 */
int
ch_http_init(struct ch_http *h, struct event_base *base, const char *url,
    int timeout_sec, size_t max_body, char *err, size_t errlen)
{
	struct evhttp_uri *u;
	const char *scheme, *host, *path;
	size_t hl;
	int port, rc = -1;

	memset(h, 0, sizeof(*h));
	h->base = base;
	snprintf(h->table, sizeof(h->table), "flows");
	if ((u = evhttp_uri_parse(url)) == NULL) {
		snprintf(err, errlen, "'%s' is not a URL", url);
		return -1;
	}
	scheme = evhttp_uri_get_scheme(u);
	host = evhttp_uri_get_host(u);
	path = evhttp_uri_get_path(u);
	port = evhttp_uri_get_port(u);
	if (scheme == NULL || strcasecmp(scheme, "http") != 0) {
		snprintf(err, errlen, "want http://HOST[:PORT]/ (ClickHouse's"
		    " HTTP interface)");
		goto out;
	}
	if (host == NULL || *host == '\0' || strlen(host) >= sizeof(h->host)) {
		snprintf(err, errlen, "no host in '%s'", url);
		goto out;
	}
	if (path != NULL && *path != '\0' && strcmp(path, "/") != 0) {
		snprintf(err, errlen, "no path is allowed after the host"
		    " ('%s')", path);
		goto out;
	}
	/* "[::1]": libevent may keep the brackets. */
	hl = strlen(host);
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']')
		snprintf(h->host, sizeof(h->host), "%.*s", (int)(hl - 2),
		    host + 1);
	else
		snprintf(h->host, sizeof(h->host), "%s", host);
	h->port = (uint16_t)(port > 0 && port < 65536 ? port : 8123);
	if (ch_http_params(h, evhttp_uri_get_query(u), err, errlen) != 0)
		goto out;
	snprintf(h->url, sizeof(h->url), "http://%s%s%s:%u/ table %s",
	    strchr(h->host, ':') != NULL ? "[" : "", h->host,
	    strchr(h->host, ':') != NULL ? "]" : "", h->port, h->table);
	if (!host_is_address(h->host) && (h->dns = evdns_base_new(base,
	    EVDNS_BASE_INITIALIZE_NAMESERVERS)) == NULL) {
		snprintf(err, errlen, "cannot set up the DNS resolver");
		goto out;
	}
	h->conn = evhttp_connection_base_new(base, h->dns, h->host, h->port);
	if (h->conn == NULL) {
		snprintf(err, errlen, "cannot make an HTTP connection");
		goto out;
	}
	evhttp_connection_set_timeout(h->conn, timeout_sec);
	evhttp_connection_set_retries(h->conn, 0);
	evhttp_connection_set_max_body_size(h->conn, (ev_ssize_t)max_body);
	rc = 0;
out:
	evhttp_uri_free(u);
	if (rc != 0)
		ch_http_free(h);
	return rc;
}

void
ch_http_free(struct ch_http *h)
{
	if (h->conn != NULL)
		evhttp_connection_free(h->conn);
	if (h->dns != NULL)
		evdns_base_free(h->dns, 0);
	h->conn = NULL;
	h->dns = NULL;
}

int
ch_http_pending(const struct ch_http *h)
{
	int i, n = 0;

	for (i = 0; i < CH_HTTP_PENDING; i++)
		n += h->req[i].busy;
	return n;
}

/* The first line of the server's answer, safe to print. */
static void
ch_http_reason(struct evhttp_request *req, int status, char *err,
    size_t errlen)
{
	struct evbuffer *b = evhttp_request_get_input_buffer(req);
	uint8_t raw[CH_ERR_MAX];
	size_t n = 0, i;
	char text[CH_ERR_MAX];

	if (b != NULL)
		n = (size_t)evbuffer_copyout(b, raw, sizeof(raw) - 1);
	for (i = 0; i < n && raw[i] != '\n' && raw[i] != '\r'; i++)
		;
	sanitize_label(text, sizeof(text), raw, i);
	snprintf(err, errlen, "HTTP %d: %s", status, text);
}

static void
ch_http_done(struct evhttp_request *req, void *arg)
{
	struct ch_req *r = arg;
	ch_http_cb cb = r->cb;
	void *cbarg = r->arg;
	char err[CH_ERR_MAX + 16];
	int status = req != NULL ? evhttp_request_get_response_code(req) : 0;

	/* Free first: the callback may post the next request. */
	r->busy = 0;
	if (status == 200) {
		cb(200, evhttp_request_get_input_buffer(req), NULL, cbarg);
		return;
	}
	if (status == 0)
		snprintf(err, sizeof(err), "no answer (connection refused,"
		    " reset or timed out)");
	else
		ch_http_reason(req, status, err, sizeof(err));
	cb(status, NULL, err, cbarg);
}

/*
 * POSTs body (moved out of the caller's buffer) with url_query (already
 * URL-encoded "query=...", or NULL when the body is the query).  -1 when
 * CH_HTTP_PENDING requests are already waiting or libevent refuses.
 */
int
ch_http_post(struct ch_http *h, const char *url_query, struct evbuffer *body,
    ch_http_cb cb, void *arg)
{
	struct evhttp_request *req;
	struct ch_req *r = NULL;
	char uri[8192];
	int i, n;

	for (i = 0; i < CH_HTTP_PENDING && r == NULL; i++)
		if (!h->req[i].busy)
			r = &h->req[i];
	if (r == NULL || h->conn == NULL)
		return -1;
	n = snprintf(uri, sizeof(uri), "/?%s%s", url_query != NULL ?
	    url_query : "", h->params[0] != '\0' ? h->params +
	    (url_query == NULL) : "");
	if (n < 0 || (size_t)n >= sizeof(uri))
		return -1;
	if ((req = evhttp_request_new(ch_http_done, r)) == NULL)
		return -1;
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host",
	    h->host);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/octet-stream");
	evbuffer_add_buffer(evhttp_request_get_output_buffer(req), body);
	*r = (struct ch_req){ .h = h, .cb = cb, .arg = arg, .busy = 1 };
	if (evhttp_make_request(h->conn, req, EVHTTP_REQ_POST, uri) != 0) {
		/* libevent has freed req. */
		r->busy = 0;
		return -1;
	}
	return 0;
}
