/*
 * fault.h - counts of faults nftop survived: allocations refused, socket
 * reads that failed, a capture interface gone, output that could not be
 * written, the wall clock jumping, a damaged --read file.
 *
 * One process-wide table, as errno is one: the faults happen in every
 * module, and what an operator needs is one place that says nftop met
 * them and went on.  The batch report prints the table ("faults" in the
 * JSON stats, a "Faults:" line in text); the exporters screen shows the
 * total.
 */
#ifndef NFTOP_FAULT_H
#define NFTOP_FAULT_H

#include <stdint.h>

enum fault_kind {
	FAULT_ALLOC,		/* an allocation refused, the work shed */
	FAULT_RECV_EINTR,	/* a socket read interrupted by a signal */
	FAULT_RECV_EAGAIN,	/* woken with nothing to read */
	FAULT_RECV_ENOBUFS,	/* the kernel had no buffers */
	FAULT_RECV_OTHER,	/* any other socket read error */
	FAULT_CAPTURE,		/* a capture failed: interface gone */
	FAULT_WRITE,		/* batch output could not be written */
	FAULT_CLOCK_JUMP,	/* the wall clock moved unlike the monotonic */
	FAULT_READ,		/* a damaged --read file ended early */
	FAULT_DNS_TIMEOUT,	/* a reverse lookup the server never answered */
	FAULT_MAX
};

void		 fault_count(enum fault_kind);
uint64_t	 fault_get(enum fault_kind);
uint64_t	 fault_total(void);
const char	*fault_name(enum fault_kind);

#endif
