/*
 * sanitize.h - the one place network-derived text is made safe to show.
 *
 * Interface names, vendor strings and DNS names come from the network and
 * may hold terminal escapes, CR/LF, bidi overrides or invalid UTF-8.  They
 * pass through sanitize_label() before they are stored, so the screen,
 * JSON and CSV only ever see the result.
 */
#ifndef NFTOP_SANITIZE_H
#define NFTOP_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

size_t	sanitize_label(char *dst, size_t dstlen, const uint8_t *src,
	    size_t len);

#endif
