/*
 * dec-flowset.c - two passes over the sets of a v9 or IPFIX message.
 *
 * Pass 1 only reads: it checks every set length, parses and compiles every
 * template record, and walks every data set whose template is known (from
 * the cache, or from earlier in the same message).  It writes a plan.  A
 * structural error anywhere rejects the whole message before anything is
 * changed (RFC 7011 §9.1 says so for IPFIX; v9 gets the same policy).
 * Pass 2 carries the plan out: installs templates, decodes data sets in
 * message order, queues data sets whose template has not been seen.
 */
#include <string.h>

#include "dec-flowset.h"
#include "ie.h"

/* A 64 KiB message holds at most 16383 sets or template records. */
#define FLOWSET_PLAN_MAX	16384
#define FLOWSET_STAGE_MAX	TMPL_PER_SOURCE	/* templates per message */

enum plan_kind {
	PLAN_INSTALL,		/* staged[idx] */
	PLAN_REJECT,		/* an invalid template */
	PLAN_LIMIT,		/* more templates than the stage holds */
	PLAN_WITHDRAW,
	PLAN_DATA,
	PLAN_RESERVED,
};

struct plan_step {
	uint8_t		 kind;
	uint16_t	 id;
	uint16_t	 idx;
	uint32_t	 len;
	const uint8_t	*data;
};

/* One message at a time: the loop has one thread. */
static struct tmpl staged[FLOWSET_STAGE_MAX];
static uint64_t staged_bad[FLOWSET_STAGE_MAX];
static uint16_t staged_ent[FLOWSET_STAGE_MAX];
static struct plan_step plan[FLOWSET_PLAN_MAX];

struct pass1 {
	uint32_t	nplan;
	uint32_t	nstaged;
	uint64_t	records;	/* data records, known templates */
	int		uncertain;	/* a data set with no template */
};

static const struct tmpl *
staged_find(const struct pass1 *p, uint16_t id)
{
	uint32_t i;

	for (i = p->nstaged; i-- > 0;)
		if (staged[i].id == id)
			return &staged[i];
	return NULL;
}

static int
plan_add(struct pass1 *p, enum plan_kind kind, uint16_t id, uint16_t idx,
    const uint8_t *data, size_t len)
{
	if (p->nplan >= FLOWSET_PLAN_MAX)
		return -1;
	plan[p->nplan++] = (struct plan_step){ .kind = kind, .id = id,
	    .idx = idx, .data = data, .len = (uint32_t)len };
	return 0;
}

/* Parses the template records of one set into the stage and the plan. */
static enum source_reason
pass1_templates(struct pass1 *p, const struct flowset_proto *fp,
    const uint8_t *body, size_t len, int options)
{
	struct tmpl_def def;
	struct rd r;
	enum flowset_tmpl_rc rc;
	uint16_t i;

	rd_init(&r, body, len);
	/* Anything shorter than a record header is padding. */
	while (r.len >= 4) {
		rc = fp->read_template(&r, options, &def);
		if (rc == FLOWSET_TMPL_OVERRUN || r.err)
			return SOURCE_REASON_TEMPLATE;
		if (rc == FLOWSET_TMPL_WITHDRAWAL) {
			if (plan_add(p, PLAN_WITHDRAW, def.id, 0, NULL, 0))
				return SOURCE_REASON_SET_LENGTH;
			continue;
		}
		if (p->nstaged >= FLOWSET_STAGE_MAX) {
			if (plan_add(p, PLAN_LIMIT, def.id, 0, NULL, 0))
				return SOURCE_REASON_SET_LENGTH;
			continue;
		}
		i = (uint16_t)p->nstaged;
		staged_bad[i] = 0;
		staged_ent[i] = def.enterprise;
		if (rc == FLOWSET_TMPL_INVALID ||
		    tmpl_def_check(&def, &staged[i], &staged_bad[i]) != 0) {
			if (plan_add(p, PLAN_REJECT, def.id, 0, NULL, 0))
				return SOURCE_REASON_SET_LENGTH;
			continue;
		}
		p->nstaged++;
		if (plan_add(p, PLAN_INSTALL, def.id, i, NULL, 0))
			return SOURCE_REASON_SET_LENGTH;
	}
	return SOURCE_REASON_MAX;
}

static int
all_zero(const uint8_t *p, size_t len)
{
	while (len > 0 && *p == 0)
		p++, len--;
	return len == 0;
}

/* Pass 1: returns SOURCE_REASON_MAX when the message is well formed. */
static enum source_reason
pass1(struct pass1 *p, struct decoder *d, struct source *s,
    const struct flowset_proto *fp, const uint8_t *sets, size_t len)
{
	const struct tmpl *t;
	struct rd r;
	uint16_t id, slen;
	uint32_t n;
	enum source_reason why;

	memset(p, 0, sizeof(*p));
	rd_init(&r, sets, len);
	while (r.len > 0) {
		if (fp->zero_tail_ok && all_zero(r.p, r.len))
			break;		/* exporters pad datagrams with zeros */
		id = rd_u16(&r);
		slen = rd_u16(&r);
		if (r.err || slen < 4 || (size_t)slen - 4 > r.len)
			return SOURCE_REASON_SET_LENGTH;
		slen -= 4;
		if (id == fp->tmpl_set || id == fp->opt_set) {
			why = pass1_templates(p, fp, r.p, slen,
			    id == fp->opt_set);
			if (why != SOURCE_REASON_MAX)
				return why;
		} else if (id >= 256) {
			t = staged_find(p, id);
			if (t == NULL)
				t = tmpl_find(d->tmpls,
				    (uint16_t)(s - d->sources->v), id);
			if (t == NULL)
				p->uncertain = 1;
			else if (tmpl_set_walk(t, r.p, slen, &n) != 0)
				return SOURCE_REASON_RECORD;
			else if (!t->options)
				/* RFC 7011 §3.1 counts "Data Records", which
				 * reads as options records too; exporters
				 * (softflowd) count flow records only, and a
				 * monitor must not report loss that is not
				 * there.  Options records are rare: they are
				 * left out of the expectation. */
				p->records += n;
			if (plan_add(p, PLAN_DATA, id, 0, r.p, slen))
				return SOURCE_REASON_SET_LENGTH;
		} else if (plan_add(p, PLAN_RESERVED, id, 0, NULL, 0))
			return SOURCE_REASON_SET_LENGTH;
		rd_skip(&r, slen);
	}
	return SOURCE_REASON_MAX;
}

static void
pass2(const struct pass1 *p, struct decoder *d, struct source *s,
    const struct flowset_msg *fm)
{
	const struct plan_step *st;
	const struct tmpl *t;
	uint32_t i;

	for (i = 0; i < p->nplan; i++) {
		st = &plan[i];
		switch (st->kind) {
		case PLAN_INSTALL:
			s->tmpl_bad_fields += staged_bad[st->idx];
			s->enterprise_fields += staged_ent[st->idx];
			(void)tmpl_install(d->tmpls, d, s, &staged[st->idx]);
			break;
		case PLAN_REJECT:
			s->tmpl_rejected++;
			break;
		case PLAN_LIMIT:
			s->tmpl_limit++;
			break;
		case PLAN_WITHDRAW:
			s->withdrawals++;
			break;
		case PLAN_RESERVED:
			s->reserved_sets++;
			break;
		case PLAN_DATA:
			t = tmpl_find(d->tmpls, (uint16_t)(s - d->sources->v),
			    st->id);
			if (t != NULL)
				tmpl_decode_set(d->tmpls, d, s, t, &fm->m,
				    st->data, st->len);
			else
				tmpl_pend(d->tmpls, d, s, st->id, &fm->m,
				    st->data, st->len);
			break;
		}
	}
}

enum decode_outcome
flowset_decode(struct decoder *d, struct source *s,
    const struct flowset_proto *fp, const struct flowset_msg *fm,
    const uint8_t *sets, size_t len)
{
	struct pass1 p;
	enum source_reason why;

	why = pass1(&p, d, s, fp, sets, len);
	if (why != SOURCE_REASON_MAX)
		return decode_malformed(s, why);
	source_seq_check(s, fm->sequence,
	    fp->seq_counts_records ? (uint32_t)p.records : 1);
	/* Records of unknown templates make the next expectation a guess. */
	if (fp->seq_counts_records && p.uncertain)
		s->seq_valid = 0;
	pass2(&p, d, s, fm);
	return DECODE_OK;
}
