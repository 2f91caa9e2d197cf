/*
 * forward.h - the tee (--forward HOST:PORT): every export datagram nftop
 * receives over UDP is sent on, unchanged, to other collectors, as
 * nfcapd -R and pmacct's tee plugin do.
 *
 * Sending never blocks the loop: the socket is non-blocking with a large
 * send buffer, which is the bounded queue; what does not fit is dropped
 * and counted per target.
 */
#ifndef NFTOP_FORWARD_H
#define NFTOP_FORWARD_H

#include <sys/socket.h>
#include <stddef.h>
#include <stdint.h>

#define FORWARD_MAX	16

struct forward_target {
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	int			 fd;
	char			 name[64];
	uint64_t		 sent;
	uint64_t		 dropped;
};

struct forwarder {
	struct forward_target	 t[FORWARD_MAX];
	int			 n;
};

int	forward_add(struct forwarder *, const char *spec, char *err,
	    size_t errlen);
void	forward_batch(struct forwarder *, struct iovec *, int n);
void	forward_close(struct forwarder *);

#endif
