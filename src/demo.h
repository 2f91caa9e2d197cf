/*
 * demo.h - the built-in demo exporter (--demo).
 *
 * Sends realistic NetFlow v5, v9 and IPFIX over loopback UDP to nftop's
 * own listener, so that a box with no router still shows a moving screen.
 * Three simulated routers send from 127.0.0.2, .3 and .4 when the kernel
 * lets us bind those (Linux does: all of 127/8 is local), else from
 * 127.0.0.1.
 */
#ifndef NFTOP_DEMO_H
#define NFTOP_DEMO_H

#include <stdint.h>

struct event_base;
struct demo;

struct demo	*demo_start(struct event_base *, const char *dest_ip,
		    uint16_t dest_port, uint64_t seed);
void		 demo_stop(struct demo *);
uint64_t	 demo_sent_records(const struct demo *);

#endif
