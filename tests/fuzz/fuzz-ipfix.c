/*
 * fuzz-ipfix.c - libFuzzer target: IPFIX messages, through
 * decode_datagram, several datagrams per input (see fuzz-decoder.h).
 * Build and run with make fuzz; make test replays tests/fuzz/corpus/ipfix.
 */
#include "fuzz-decoder.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(data, size, 10, 0);
	return 0;
}
