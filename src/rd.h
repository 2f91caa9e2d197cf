/*
 * rd.h - the one way network bytes are read: a bounded big-endian reader.
 *
 * Every read checks the remaining length; a read past the end returns zero
 * and sets a sticky error flag, so a decoder can read a whole record and
 * check once.  Nothing ever casts a struct over packet bytes.
 */
#ifndef NFTOP_RD_H
#define NFTOP_RD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t	*p;
	size_t		 len;	/* bytes left from p */
	int		 err;	/* sticky: a read ran past the end */
};

static inline void
rd_init(struct rd *r, const void *buf, size_t len)
{
	r->p = buf;
	r->len = len;
	r->err = 0;
}

static inline int
rd_need(struct rd *r, size_t n)
{
	if (r->err || r->len < n) {
		r->err = 1;
		r->len = 0;
		return 0;
	}
	return 1;
}

static inline void
rd_skip(struct rd *r, size_t n)
{
	if (rd_need(r, n)) {
		r->p += n;
		r->len -= n;
	}
}

static inline uint8_t
rd_u8(struct rd *r)
{
	uint8_t v;

	if (!rd_need(r, 1))
		return 0;
	v = r->p[0];
	r->p += 1;
	r->len -= 1;
	return v;
}

static inline uint16_t
rd_u16(struct rd *r)
{
	uint16_t v;

	if (!rd_need(r, 2))
		return 0;
	v = (uint16_t)(r->p[0] << 8 | r->p[1]);
	r->p += 2;
	r->len -= 2;
	return v;
}

static inline uint32_t
rd_u32(struct rd *r)
{
	uint32_t v;

	if (!rd_need(r, 4))
		return 0;
	v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	    (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->len -= 4;
	return v;
}

static inline uint64_t
rd_u64(struct rd *r)
{
	uint64_t hi = rd_u32(r);

	return hi << 32 | rd_u32(r);
}

/*
 * Big-endian loads from bytes the caller has already bounded (a record
 * whose length was checked as a whole): no check, no cursor.
 */
static inline uint16_t
rd_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
rd_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
rd_be64(const uint8_t *p)
{
	return (uint64_t)rd_be32(p) << 32 | rd_be32(p + 4);
}

/* Copies n bytes to dst, or zero-fills dst and sets the error flag. */
static inline void
rd_bytes(struct rd *r, void *dst, size_t n)
{
	if (!rd_need(r, n)) {
		memset(dst, 0, n);
		return;
	}
	memcpy(dst, r->p, n);
	r->p += n;
	r->len -= n;
}

#endif
