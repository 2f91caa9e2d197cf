/*
 * decode.c - version dispatch and outcome accounting for export datagrams.
 */
#include <stddef.h>
#include <stdint.h>

#include "acl.h"
#include "dec-ipfix.h"
#include "dec-nf5.h"
#include "dec-nf9.h"
#include "dec-sflow.h"
#include "decode.h"
#include "hash.h"
#include "tmpl.h"

typedef enum decode_outcome (*decode_fn)(struct decoder *,
    const struct decode_input *);

/* Decoders by the 16-bit version every NetFlow/IPFIX header starts with. */
static const struct {
	uint16_t	version;
	decode_fn	fn;
} decoders[] = {
	{ 1, dec_nf5_input },
	{ 5, dec_nf5_input },
	{ 7, dec_nf5_input },
	{ 9, dec_nf9_input },
	{ 10, dec_ipfix_input },
};

static const char *const outcome_names[DECODE_OUTCOME_MAX] = {
	[DECODE_OK] = "decoded",
	[DECODE_MALFORMED] = "malformed",
	[DECODE_UNSUPPORTED] = "unsupported",
	[DECODE_DENIED] = "denied",
};

/* The decoder owns its template cache; decoder_free() releases it. */
void
decoder_init(struct decoder *d, struct source_table *sources,
    flow_sink_cb sink, void *sink_ctx)
{
	*d = (struct decoder){ .sources = sources, .sink = sink,
	    .sink_ctx = sink_ctx, .tmpls = tmpl_cache_create(
	    hash_random_key()), .sflow = sflow_state_create() };
}

void
decoder_free(struct decoder *d)
{
	tmpl_cache_free(d->tmpls);
	d->tmpls = NULL;
	sflow_state_free(d->sflow);
	d->sflow = NULL;
}

const char *
decode_outcome_name(enum decode_outcome o)
{
	if ((unsigned)o >= DECODE_OUTCOME_MAX)
		return "unknown";
	return outcome_names[o];
}

/*
 * Finds the datagram's source and counts the datagram (and any kernel drops
 * reported with it) there.  NULL means the source table is full.
 */
struct source *
decode_source(struct decoder *d, const struct decode_input *in,
    enum flow_origin origin, uint32_t domain)
{
	struct source *s;

	s = source_get(d->sources, &in->exporter, in->port, origin, domain,
	    in->now_msec);
	if (s == NULL) {
		d->stats.dropped += in->drops;
		return NULL;
	}
	s->datagrams++;
	s->dropped += in->drops;
	return s;
}

enum decode_outcome
decode_malformed(struct source *s, enum source_reason why)
{
	s->malformed++;
	s->malformed_by[why]++;
	return DECODE_MALFORMED;
}

static enum decode_outcome
decode_unsupported(struct decoder *d, const struct decode_input *in,
    uint32_t version)
{
	if (decode_source(d, in, FLOW_ORIGIN_UNKNOWN, version) == NULL)
		return DECODE_DENIED;
	return DECODE_UNSUPPORTED;
}

enum decode_outcome
decode_datagram(struct decoder *d, const struct decode_input *in)
{
	enum decode_outcome o = DECODE_UNSUPPORTED;
	uint16_t version;
	size_t i;

	d->stats.datagrams++;
	/* Checked first: a denied sender creates no state at all. */
	if (!acl_allows(d->allow, &in->exporter)) {
		d->stats.denied_acl++;
		o = DECODE_DENIED;
		goto out;
	}
	if (in->len < 2) {
		o = decode_unsupported(d, in, 0);
		goto out;
	}
	version = (uint16_t)(in->buf[0] << 8 | in->buf[1]);
	/* sFlow's version is 32 bits: 0x00000005 never starts a NetFlow. */
	if (version == 0 && in->len >= 4 && in->buf[2] == 0 &&
	    in->buf[3] == 5) {
		o = dec_sflow_input(d, in);
		goto out;
	}
	for (i = 0; i < sizeof(decoders) / sizeof(decoders[0]); i++) {
		if (decoders[i].version == version) {
			o = decoders[i].fn(d, in);
			goto out;
		}
	}
	o = decode_unsupported(d, in, version);
out:
	d->stats.outcome[o]++;
	return o;
}
