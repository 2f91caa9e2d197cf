/*
 * fuzz-nf5.c - libFuzzer target: NetFlow v5 (and v1/v7 by the last byte), through
 * decode_datagram, several datagrams per input (see fuzz-decoder.h).
 * Build and run with make fuzz; make test replays tests/fuzz/corpus/nf5.
 */
#include "fuzz-decoder.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* v1, v5 or v7, picked by the last byte. */
	static const int versions[] = { 5, 1, 7, 5 };

	fz_run(data, size, size > 0 ? versions[data[size - 1] & 3] : 5, 0);
	return 0;
}
