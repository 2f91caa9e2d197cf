/*
 * fuzz-sflow.c - libFuzzer target: sFlow v5 datagrams, through
 * decode_datagram, several datagrams per input (see fuzz-decoder.h).
 * Build and run with make fuzz; make test replays tests/fuzz/corpus/sflow.
 */
#include "fuzz-decoder.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(data, size, 5, 1);
	return 0;
}
