/*
 * fuzz-decoder.h - the harness the decoder fuzz targets share: one
 * decoder with its source table and template cache that lives across
 * inputs (so templates learnt from one input meet data in the next, as on
 * the wire), a sink that reads every field of every record, and a split of
 * one fuzzer input into several datagrams.
 *
 * Input format: a sequence of [len_hi len_lo bytes...] chunks; each chunk
 * is one datagram from one of four exporters (the top two bits of len_hi
 * pick it).  The version word is forced by the target, so the fuzzer
 * spends its time inside the decoder rather than in the dispatch.
 */
#ifndef NFTOP_FUZZ_DECODER_H
#define NFTOP_FUZZ_DECODER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode.h"
#include "source.h"
#include "tmpl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct source_table *fz_sources;
static struct decoder fz_dec;
static volatile uint64_t fz_sum;
static uint64_t fz_inputs;

/* Reads every byte of a record, so sanitizers see uninitialised fields. */
static void
fz_sink(const struct flow_rec *r, void *ctx)
{
	const uint8_t *p = (const uint8_t *)r;
	uint64_t s = 0;
	size_t i;

	(void)ctx;
	for (i = 0; i < offsetof(struct flow_rec, views); i++)
		s += p[i];
	fz_sum += s;
}

static void
fz_setup(void)
{
	if (fz_sources != NULL && ++fz_inputs % 4096 != 0)
		return;
	/* Start over now and then: state must not grow without bound. */
	if (fz_sources != NULL) {
		decoder_free(&fz_dec);
		source_table_free(fz_sources);
	}
	fz_sources = source_table_create(64, 1);
	decoder_init(&fz_dec, fz_sources, fz_sink, NULL);
}

/* Feeds each chunk as a datagram whose first two bytes are `version`. */
static void
fz_run(const uint8_t *data, size_t size, int version, int sflow)
{
	static uint8_t buf[65536];
	struct decode_input in;
	size_t len;

	fz_setup();
	while (size >= 2) {
		len = (size_t)(data[0] & 0x3f) << 8 | data[1];
		memset(&in, 0, sizeof(in));
		flow_addr_set4(&in.exporter, 0x7f000001u + (data[0] >> 6));
		in.port = 4000;
		in.now_msec = 1700000000000ULL + fz_inputs;
		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		memcpy(buf, data, len);
		if (sflow && len >= 4) {
			buf[0] = buf[1] = buf[2] = 0;
			buf[3] = 5;
		} else if (!sflow && len >= 2) {
			buf[0] = (uint8_t)(version >> 8);
			buf[1] = (uint8_t)version;
		}
		in.buf = buf;
		in.len = len;
		decode_datagram(&fz_dec, &in);
		data += len;
		size -= len;
	}
	tmpl_expire(fz_dec.tmpls, &fz_dec, 1700000000000ULL + fz_inputs);
}

#endif
