/*
 * forward.c - re-sending export datagrams to other collectors.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "collector.h"
#include "forward.h"

#define FORWARD_SNDBUF	(8 << 20)
#define FORWARD_BATCH	64

/* "HOST:PORT" or "[V6]:PORT"; HOST is an address, not a name. */
int
forward_add(struct forwarder *fw, const char *spec, char *err, size_t errlen)
{
	struct forward_target *t;
	int any, buf = FORWARD_SNDBUF;

	if (fw->n >= FORWARD_MAX) {
		snprintf(err, errlen, "more than %d --forward", FORWARD_MAX);
		return -1;
	}
	t = &fw->t[fw->n];
	memset(t, 0, sizeof(*t));
	if (collector_parse_addr(spec, 0, &t->ss, &t->sslen, &any) != 0 ||
	    any || ((struct sockaddr_in *)&t->ss)->sin_port == 0) {
		snprintf(err, errlen, "want ADDR:PORT, not '%s'", spec);
		return -1;
	}
	t->fd = socket(t->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (t->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (setsockopt(t->fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf,
	    sizeof(buf)) != 0)
		(void)setsockopt(t->fd, SOL_SOCKET, SO_SNDBUF, &buf,
		    sizeof(buf));
	snprintf(t->name, sizeof(t->name), "%s", spec);
	fw->n++;
	return 0;
}

/* Sends a batch of datagrams to every target; what fails is dropped. */
void
forward_batch(struct forwarder *fw, struct iovec *iov, int n)
{
	struct mmsghdr msg[FORWARD_BATCH];
	struct forward_target *t;
	int i, k, sent, off;

	for (k = 0; k < fw->n; k++) {
		t = &fw->t[k];
		for (off = 0; off < n; off += sent) {
			int m = n - off > FORWARD_BATCH ? FORWARD_BATCH :
			    n - off;

			for (i = 0; i < m; i++)
				msg[i].msg_hdr = (struct msghdr){
				    .msg_name = &t->ss,
				    .msg_namelen = t->sslen,
				    .msg_iov = &iov[off + i],
				    .msg_iovlen = 1 };
			sent = sendmmsg(t->fd, msg, (unsigned)m, MSG_DONTWAIT);
			if (sent <= 0) {
				/* Full buffer, or the target is unreachable:
				 * this one is lost, the rest still tried. */
				t->dropped++;
				sent = 1;
				continue;
			}
			t->sent += (uint64_t)sent;
		}
	}
}

void
forward_close(struct forwarder *fw)
{
	int i;

	for (i = 0; i < fw->n; i++)
		close(fw->t[i].fd);
	fw->n = 0;
}
