/*
 * fuzz-filter.c - libFuzzer target for the filter compiler: any bytes as
 * a filter text must compile or fail cleanly, never crash, leak or read
 * out of bounds; a filter that compiles is run on a few records, and the
 * completion helper is asked at the end and in the middle of the text.
 *
 * Build with "make fuzz" (clang, libFuzzer, ASan, UBSan); run:
 *   build/fuzz/fuzz-filter -dict=tests/fuzz/filter.dict \
 *       tests/fuzz/corpus/filter
 * make test replays the corpus with tests/fuzz/replay.c (plain gcc).
 * Includes and /etc/hosts are off: the fuzzer must not read files.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
records(struct flow_rec *r)
{
	memset(r, 0, 3 * sizeof(*r));
	flow_addr_set4(&r[0].src, 0x0a000001);
	flow_addr_set4(&r[0].dst, 0xc0000201);
	r[0].af = 4;
	r[0].origin = FLOW_ORIGIN_NF5;
	r[0].proto = 6;
	r[0].srcport = 1234;
	r[0].dstport = 80;
	r[0].tcpflags = 0x12;
	r[0].pkts = 10;
	r[0].bytes = 5000;
	r[0].last_msec = 1000;
	r[1] = r[0];
	r[1].origin = FLOW_ORIGIN_NF9;
	r[1].af = 6;
	r[1].src.b[0] = 0x20;
	r[1].src.b[1] = 0x01;
	r[1].proto = 17;
	r[1].pkts = UINT64_MAX;
	r[1].bytes = UINT64_MAX;
	r[1].first_msec = 5;
	r[1].last_msec = 6;
	r[1].source = 3;
	r[2].origin = 200;		/* out of the table's range */
	r[2].mpls_label = 0xffffffff;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filter_error e;
	struct flow_rec r[3];
	struct filter *f;
	const char *out[64];
	char *text, caret[512];
	int i;

	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	f = filter_compile_ex(text, FILTER_F_NOINCLUDE | FILTER_F_NOHOSTS,
	    &e);
	if (f != NULL) {
		records(r);
		for (i = 0; i < 3; i++)
			(void)filter_match(f, &r[i]);
		(void)filter_text(f);
		filter_free(f);
	} else
		filter_error_caret(text, &e, caret, sizeof(caret));
	(void)filter_complete(text, size, out, 64);
	(void)filter_complete(text, size / 2, out, 64);
	free(text);
	return 0;
}
