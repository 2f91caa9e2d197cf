/*
 * dec-nf9.h - NetFlow v9 (RFC 3954).
 */
#ifndef NFTOP_DEC_NF9_H
#define NFTOP_DEC_NF9_H

#include "decode.h"

enum decode_outcome dec_nf9_input(struct decoder *,
	    const struct decode_input *);

#endif
