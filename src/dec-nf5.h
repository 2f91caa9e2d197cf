/*
 * dec-nf5.h - NetFlow v1, v5 and v7 (Cisco's fixed-format exports).
 */
#ifndef NFTOP_DEC_NF5_H
#define NFTOP_DEC_NF5_H

#include "decode.h"

enum decode_outcome dec_nf5_input(struct decoder *,
	    const struct decode_input *);

#endif
