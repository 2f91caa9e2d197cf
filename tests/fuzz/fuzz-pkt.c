/*
 * fuzz-pkt.c - libFuzzer target: the L2-L4 packet parser and the packet
 * meter.  Each input is a sequence of packets ([link, len_hi, len_lo,
 * bytes...]) metered with advancing timestamps; flows are flushed at the
 * end so every path that reports a flow runs.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "meter.h"
#include "pkt.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile uint64_t fz_sum;

static void
fz_sink(const struct flow_rec *r, void *ctx)
{
	(void)ctx;
	fz_sum += r->pkts + r->bytes + r->srcport + r->proto;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct meter *m;
	struct pkt_info pi;
	uint64_t t = 1700000000000ULL;
	size_t len;
	int link;

	if (m == NULL)
		m = meter_create(64, 1, 15000, 60000, fz_sink, NULL);
	while (size >= 3) {
		link = data[0] % (PKT_LINK_NULL + 1);
		len = (size_t)data[1] << 8 | data[2];
		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		(void)pkt_parse((enum pkt_link)link, data, len, &pi);
		meter_packet(m, (enum pkt_link)link, data, len, len + 4, t,
		    1, 0);
		t += 700;
		data += len;
		size -= len;
	}
	meter_flush(m, t);
	return 0;
}
