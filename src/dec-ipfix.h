/*
 * dec-ipfix.h - IPFIX (RFC 7011) messages.
 */
#ifndef NFTOP_DEC_IPFIX_H
#define NFTOP_DEC_IPFIX_H

#include "decode.h"

enum decode_outcome dec_ipfix_input(struct decoder *,
	    const struct decode_input *);

#endif
