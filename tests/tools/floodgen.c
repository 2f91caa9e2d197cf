/*
 * floodgen - a spoofed-source NetFlow v5 flood with one real talker, for
 * the flood test (tests/integ/flood.t) and `make bench`.
 *
 * Every flood record comes from a source address never used before
 * (16.0.0.0 upwards, one more per record); the talker, 10.99.0.1, sends
 * records of the same sizes, placed so that it holds --share percent of
 * the bytes of any long enough run of records: a talker record goes out
 * whenever its bytes so far fall below that share.  Datagrams carry 30
 * records with consecutive sequence numbers and go out with sendmmsg at
 * --rate records per second, paced every batch, for --seconds at most.
 *
 * With -t SECONDS, one more datagram follows every half second for that
 * long once the flood is over: the kernel reports a socket's drops with
 * the next datagram it queues (SO_RXQ_OVFL), so drops at the very end of
 * the flood are only counted once a later datagram gets through.
 *
 * The last line on stdout is the truth the test compares with:
 *   floodgen: datagrams=N records=N sources=N bytes=N talker_records=N
 *   talker_bytes=N seconds=S rate=R
 *
 * Safety: only 127.0.0.0/8 and ::1 are accepted as destinations; every
 * run is bounded by --seconds and --records.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define V5_HDR		24
#define V5_REC		48
#define V5_MAX		30
#define BATCH		64
#define TALKER		0x0a630001u	/* 10.99.0.1 */
#define FLOOD_BASE	0x10000000u	/* 16.0.0.0 */
#define DEST_NET	0xc6336400u	/* 198.51.100.0/24: record data only */

struct gen {
	uint64_t	records, datagrams, sources, bytes;
	uint64_t	talker_records, talker_bytes;
	uint32_t	seq;
	uint64_t	rng;
	double		share;
};

static void
usage(void)
{
	fprintf(stderr, "usage: floodgen -d 127.0.0.1:PORT [-r RECORDS/S] "
	    "[-T SECONDS] [-n RECORDS] [-p TALKER%%] [-s SEED] "
	    "[-t TAIL_SECONDS]\n");
	exit(2);
}

static uint64_t
rnd(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint8_t *
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static uint8_t *
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One v5 datagram of 30 records; returns its length. */
static size_t
encode(struct gen *g, uint8_t *buf, uint32_t uptime)
{
	uint8_t *p = buf;
	uint32_t src, pkts, bytes;
	int i;

	p = put16(p, 5);
	p = put16(p, V5_MAX);
	p = put32(p, uptime);
	p = put32(p, (uint32_t)time(NULL));
	p = put32(p, 0);
	p = put32(p, g->seq);
	p = put32(p, 0);		/* engine type, id; sampling */
	for (i = 0; i < V5_MAX; i++) {
		pkts = 1 + (uint32_t)(rnd(g) % 8);
		bytes = pkts * (64 + (uint32_t)(rnd(g) % 1400));
		if (g->talker_bytes < g->share * (double)g->bytes) {
			src = TALKER;
			g->talker_records++;
			g->talker_bytes += bytes;
		} else {
			src = FLOOD_BASE + (uint32_t)g->sources++;
		}
		g->bytes += bytes;
		p = put32(p, src);
		p = put32(p, DEST_NET | (uint32_t)(rnd(g) % 200));
		p = put32(p, 0);			/* next hop */
		p = put16(p, 1);
		p = put16(p, 2);
		p = put32(p, pkts);
		p = put32(p, bytes);
		p = put32(p, uptime > 1000 ? uptime - 1000 : 0);
		p = put32(p, uptime);
		p = put16(p, 1024 + (uint32_t)(rnd(g) % 60000));
		p = put16(p, 443);
		p = put32(p, 17u << 8);		/* pad, flags, proto, tos */
		p = put32(p, 0);			/* AS numbers */
		p = put32(p, 0);			/* masks, pad */
	}
	g->seq += V5_MAX;
	g->records += V5_MAX;
	return (size_t)(p - buf);
}

static int
open_dest(const char *dest, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char host[64];
	const char *colon = strrchr(dest, ':');
	int fd, sndbuf = 4 << 20;

	if (colon == NULL || (size_t)(colon - dest) >= sizeof(host))
		usage();
	memcpy(host, dest, (size_t)(colon - dest));
	host[colon - dest] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		if ((ntohl(in4->sin_addr.s_addr) >> 24) != 127) {
			fprintf(stderr, "floodgen: %s is not loopback\n", host);
			exit(2);
		}
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)atol(colon + 1));
		*len = sizeof(*in4);
	} else if (strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0) {
		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
		in6->sin6_port = htons((uint16_t)atol(colon + 1));
		*len = sizeof(*in6);
	} else {
		fprintf(stderr, "floodgen: %s is not loopback\n", host);
		exit(2);
	}
	if ((fd = socket(ss->ss_family, SOCK_DGRAM, 0)) == -1) {
		perror("floodgen: socket");
		exit(1);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	return fd;
}

int
main(int argc, char **argv)
{
	static uint8_t bufs[BATCH][V5_HDR + V5_MAX * V5_REC];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage ss;
	struct gen g = { .rng = 1, .share = 0.05 };
	socklen_t sslen;
	const char *dest = NULL;
	double rate = 1e6, seconds = 120, tail = 0, start, t, due;
	uint64_t max_records = UINT64_MAX;
	int fd, c, i, n, sent;

	while ((c = getopt(argc, argv, "d:r:T:n:p:s:t:")) != -1) {
		switch (c) {
		case 'd':
			dest = optarg;
			break;
		case 'r':
			rate = strtod(optarg, NULL);
			break;
		case 'T':
			seconds = strtod(optarg, NULL);
			break;
		case 'n':
			max_records = strtoull(optarg, NULL, 10);
			break;
		case 'p':
			g.share = strtod(optarg, NULL) / 100;
			break;
		case 's':
			g.rng = strtoull(optarg, NULL, 10);
			break;
		case 't':
			tail = strtod(optarg, NULL);
			break;
		default:
			usage();
		}
	}
	if (dest == NULL || rate <= 0 || seconds <= 0 || seconds > 3600 ||
	    g.share < 0 || g.share >= 1 || tail < 0 || tail > 60)
		usage();
	fd = open_dest(dest, &ss, &sslen);
	start = now_sec();
	for (;;) {
		t = now_sec() - start;
		if (t >= seconds || g.records >= max_records)
			break;
		/* Pace: the records sent so far are due at records / rate. */
		due = g.records / rate;
		if (due > t) {
			struct timespec ts = { 0, (long)((due - t) * 1e9) };

			if (ts.tv_nsec > 0)
				nanosleep(&ts, NULL);
			continue;
		}
		for (n = 0; n < BATCH && g.records < max_records; n++) {
			iov[n].iov_base = bufs[n];
			iov[n].iov_len = encode(&g, bufs[n],
			    (uint32_t)(3600000 + t * 1000));
			memset(&msgs[n], 0, sizeof(msgs[n]));
			msgs[n].msg_hdr.msg_name = &ss;
			msgs[n].msg_hdr.msg_namelen = sslen;
			msgs[n].msg_hdr.msg_iov = &iov[n];
			msgs[n].msg_hdr.msg_iovlen = 1;
		}
		for (i = 0; i < n; i += sent) {
			sent = sendmmsg(fd, msgs + i, (unsigned)(n - i), 0);
			if (sent < 0) {
				if ((errno == EINTR || errno == ENOBUFS ||
				    errno == EAGAIN) &&
				    now_sec() - start < seconds + 5) {
					sent = 0;
					continue;
				}
				perror("floodgen: sendmmsg");
				return 1;
			}
		}
		g.datagrams += (uint64_t)n;
	}
	t = now_sec() - start;
	for (i = 0; i < (int)(tail * 2); i++) {
		struct timespec ts = { 0, 500000000L };

		nanosleep(&ts, NULL);
		n = (int)encode(&g, bufs[0], (uint32_t)(3600000 + t * 1000));
		if (sendto(fd, bufs[0], (size_t)n, 0, (struct sockaddr *)&ss,
		    sslen) == n)
			g.datagrams++;
	}
	printf("floodgen: datagrams=%llu records=%llu sources=%llu bytes=%llu "
	    "talker_records=%llu talker_bytes=%llu seconds=%.3f rate=%.0f\n",
	    (unsigned long long)g.datagrams, (unsigned long long)g.records,
	    (unsigned long long)g.sources, (unsigned long long)g.bytes,
	    (unsigned long long)g.talker_records,
	    (unsigned long long)g.talker_bytes, t, g.records / t);
	close(fd);
	return 0;
}
