/*
 * fault.c - the table of survived faults (see fault.h).
 */
#include <stdint.h>

#include "fault.h"

static uint64_t	faults[FAULT_MAX];

static const char *const fault_names[FAULT_MAX] = {
	[FAULT_ALLOC] = "alloc_failed",
	[FAULT_RECV_EINTR] = "recv_eintr",
	[FAULT_RECV_EAGAIN] = "recv_eagain",
	[FAULT_RECV_ENOBUFS] = "recv_enobufs",
	[FAULT_RECV_OTHER] = "recv_errors",
	[FAULT_CAPTURE] = "capture_errors",
	[FAULT_WRITE] = "write_errors",
	[FAULT_CLOCK_JUMP] = "clock_jumps",
	[FAULT_READ] = "read_errors",
	[FAULT_DNS_TIMEOUT] = "dns_timeouts",
};

void
fault_count(enum fault_kind k)
{
	if ((unsigned)k < FAULT_MAX)
		faults[k]++;
}

uint64_t
fault_get(enum fault_kind k)
{
	return (unsigned)k < FAULT_MAX ? faults[k] : 0;
}

uint64_t
fault_total(void)
{
	uint64_t sum = 0;
	int k;

	for (k = 0; k < FAULT_MAX; k++)
		sum += faults[k];
	return sum;
}

const char *
fault_name(enum fault_kind k)
{
	return (unsigned)k < FAULT_MAX ? fault_names[k] : "unknown";
}
