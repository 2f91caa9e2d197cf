/*
 * tmpl.h - NetFlow v9 and IPFIX templates: the cache, the compiler and the
 * record decoder, shared by dec-nf9.c and dec-ipfix.c.
 *
 * A template is compiled once into a decode program: one (length, action)
 * step per field, where the action says which flow_rec member the bytes
 * become (ie.h).  Templates are cached per (source, template ID); a source
 * is an (exporter address, port, protocol, source ID / observation domain)
 * tuple, so the scope is exactly RFC 7011 §8's.  Data that arrives before
 * its template waits in a bounded queue and is decoded when the template
 * comes.  Per-exporter state learnt from options data (sampling rates,
 * interface names, the IPFIX system init time) lives here too.
 */
#ifndef NFTOP_TMPL_H
#define NFTOP_TMPL_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "rd.h"

#define TMPL_FIELDS_MAX		128	/* fields per template */
#define TMPL_PER_SOURCE		256	/* templates per source */
#define TMPL_TOTAL		8192	/* templates in all */
#define TMPL_VARLEN		0xffff
#define TMPL_PENDING_SOURCE	(256 << 10)	/* bytes waiting, per source */
#define TMPL_PENDING_TOTAL	(8 << 20)	/* bytes waiting, in all */
#define TMPL_PENDING_MSEC	600000	/* how long data waits */
#define TMPL_IFNAMES		512	/* interface names per source */
#define TMPL_IFNAME_LEN		48
#define TMPL_SAMPLERS		32	/* sampler IDs per source */

struct tmpl_op {
	uint16_t	len;		/* TMPL_VARLEN: variable length */
	uint8_t		action;		/* enum ie_action */
	uint8_t		pad;
};

/*
 * How a template of fixed length reads one field it does not skip: at an
 * offset, a load of known width stored in a known place (tmpl.c).
 */
struct tmpl_step {
	uint16_t	off;		/* in the record */
	uint16_t	arg;		/* offset in the values, or index in ops */
	uint8_t		kind;
	uint8_t		len;		/* of an odd-width number */
	uint8_t		run;		/* steps of this kind from here */
	uint8_t		pad[1];
};

struct tmpl {
	uint16_t	id;
	uint16_t	source;		/* owner (source table index) */
	uint8_t		in_use;
	uint8_t		options;	/* an options template */
	uint8_t		varlen;		/* has variable-length fields */
	uint8_t		pad;
	uint16_t	nops;
	uint16_t	min_len;	/* bytes of the shortest record */
	uint64_t	records;	/* data records decoded with it */
	uint16_t	nsteps;		/* fixed length: fields not skipped */
	uint32_t	plain_have;	/* the bits its plain steps set */
	struct tmpl_step steps[TMPL_FIELDS_MAX];	/* tmpl.c */
	struct tmpl_op	ops[TMPL_FIELDS_MAX];
};

/* A template as read from the wire, before it is installed. */
struct tmpl_def {
	uint16_t	id;
	uint16_t	nfields;
	uint16_t	enterprise;	/* enterprise-specific fields */
	uint8_t		options;
	uint16_t	ids[TMPL_FIELDS_MAX];	/* element IDs; 0 = enterprise */
	uint16_t	lens[TMPL_FIELDS_MAX];
};

/* The message context a data record is decoded in. */
struct tmpl_msg {
	uint64_t	recv_msec;
	uint64_t	export_msec;	/* header time, ms */
	uint32_t	uptime_msec;	/* v9 sysUptime */
	uint8_t		has_uptime;	/* v9: stamps are uptime-relative */
	uint8_t		origin;
};

struct tmpl_cache;

struct tmpl_cache *tmpl_cache_create(uint64_t hash_key);
void		 tmpl_cache_free(struct tmpl_cache *);
const struct tmpl *tmpl_find(const struct tmpl_cache *, uint16_t source,
		    uint16_t id);
int		 tmpl_def_check(const struct tmpl_def *, struct tmpl *out,
		    uint64_t *bad_fields);
int		 tmpl_install(struct tmpl_cache *, struct decoder *,
		    struct source *, const struct tmpl *);
int		 tmpl_record_len(const struct tmpl *, struct rd *);
void		 tmpl_decode_set(struct tmpl_cache *, struct decoder *,
		    struct source *, const struct tmpl *,
		    const struct tmpl_msg *, const uint8_t *, size_t);
int		 tmpl_set_walk(const struct tmpl *, const uint8_t *, size_t,
		    uint32_t *records);
void		 tmpl_pend(struct tmpl_cache *, struct decoder *,
		    struct source *, uint16_t id, const struct tmpl_msg *,
		    const uint8_t *, size_t);
void		 tmpl_expire(struct tmpl_cache *, struct decoder *,
		    uint64_t now_msec);
const char	*tmpl_ifname(const struct tmpl_cache *, uint16_t source,
		    uint32_t ifindex);
uint64_t	 tmpl_pending_bytes(const struct tmpl_cache *);

#endif
