/*
 * fuzz-nf9.c - libFuzzer target: NetFlow v9 templates and data, through
 * decode_datagram, several datagrams per input (see fuzz-decoder.h).
 * Build and run with make fuzz; make test replays tests/fuzz/corpus/nf9.
 */
#include "fuzz-decoder.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(data, size, 9, 0);
	return 0;
}
