/*
 * privdrop.h - giving up root once every socket, capture handle and file
 * nftop needs is open.
 */
#ifndef NFTOP_PRIVDROP_H
#define NFTOP_PRIVDROP_H

#include <stddef.h>

int		 privdrop(const char *user, char *err, size_t errlen);
const char	*privdrop_user(void);

#endif
