/*
 * faultinject.c - an LD_PRELOAD library for the fault tests
 * (tests/integ/faults.t): it makes the real program meet faults the
 * kernel and libc hand out only rarely, at the calls where they happen.
 *
 *   FI_RECV=eintr,eagain,enobufs  recvmmsg() fails with these errnos, in
 *                                 turn, on every FI_RECV_EVERY-th call
 *                                 (default 3); the datagrams stay queued,
 *                                 as after a real EINTR.
 *   FI_ALLOC_AFTER_MS=N           from N ms after the first allocation,
 *   FI_ALLOC_FOR_MS=M             for M ms, every FI_ALLOC_EVERY-th
 *   FI_ALLOC_EVERY=K              (default 2) malloc/calloc/realloc/
 *                                 aligned_alloc/anonymous mmap of at
 *   FI_ALLOC_MIN=B                least B bytes (default 1) returns NULL
 *                                 with ENOMEM.
 *   FI_LOG=FILE                   at exit, "recv_failed N alloc_failed N
 *                                 eintr N eagain N enobufs N" is appended
 *                                 to FILE: what was injected
 *                                 (opened at start, before any privilege
 *                                 drop).
 *
 * Only glibc's own entry points are called underneath (__libc_malloc and
 * friends, and recvmmsg through dlsym), so nothing here allocates.  It
 * cannot replace malloc beside AddressSanitizer, which owns it: built
 * with -DFI_RECV_ONLY (faultrecv.so) it leaves malloc alone, for the
 * socket faults under a sanitizer build; the test skips the allocation
 * part there.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

void	*__libc_malloc(size_t);
void	*__libc_calloc(size_t, size_t);
void	*__libc_realloc(void *, size_t);
void	*__libc_memalign(size_t, size_t);

static int	 recv_errnos[8], recv_n = -1, recv_every = 3;
static unsigned	 recv_calls, recv_failed, recv_by[3];
static long long alloc_after = -1, alloc_for, alloc_start;
static size_t	 alloc_min = 1;
static unsigned	 alloc_every = 2, alloc_calls, alloc_failed;
static int	 in_setup, log_fd = -1;

static long long
fi_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long
fi_env(const char *name, long long def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? strtoll(v, NULL, 10) : def;
}

static void
fi_setup(void)
{
	const char *v;

	if (recv_n >= 0 || in_setup)
		return;
	in_setup = 1;
	recv_n = 0;
	if ((v = getenv("FI_RECV")) != NULL) {
		if (strstr(v, "eintr") != NULL)
			recv_errnos[recv_n++] = EINTR;
		if (strstr(v, "eagain") != NULL)
			recv_errnos[recv_n++] = EAGAIN;
		if (strstr(v, "enobufs") != NULL)
			recv_errnos[recv_n++] = ENOBUFS;
	}
	recv_every = (int)fi_env("FI_RECV_EVERY", 3);
	if (recv_every < 1)
		recv_every = 1;
	alloc_after = fi_env("FI_ALLOC_AFTER_MS", -1);
	alloc_for = fi_env("FI_ALLOC_FOR_MS", 0);
	alloc_min = (size_t)fi_env("FI_ALLOC_MIN", 1);
	alloc_every = (unsigned)fi_env("FI_ALLOC_EVERY", 2);
	if (alloc_every < 1)
		alloc_every = 1;
	alloc_start = fi_now_ms();
	/* Opened now: the program may drop privileges before it exits. */
	if ((v = getenv("FI_LOG")) != NULL)
		log_fd = open(v, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		    0644);
	in_setup = 0;
}

/* Unused in faultrecv.so (FI_RECV_ONLY), which leaves malloc alone. */
__attribute__((unused)) static int
fi_alloc_fails(size_t size)
{
	long long t;

	if (in_setup || alloc_after < 0 || size < alloc_min)
		return 0;
	t = fi_now_ms() - alloc_start;
	if (t < alloc_after || t >= alloc_after + alloc_for)
		return 0;
	if (++alloc_calls % alloc_every != 0)
		return 0;
	alloc_failed++;
	errno = ENOMEM;
	return 1;
}

#ifndef FI_RECV_ONLY
void *
malloc(size_t size)
{
	fi_setup();
	return fi_alloc_fails(size) ? NULL : __libc_malloc(size);
}

void *
calloc(size_t n, size_t size)
{
	fi_setup();
	if (size != 0 && n > SIZE_MAX / size)
		return __libc_calloc(n, size);	/* glibc's own overflow error */
	return fi_alloc_fails(n * size) ? NULL : __libc_calloc(n, size);
}

void *
realloc(void *p, size_t size)
{
	fi_setup();
	return size > 0 && fi_alloc_fails(size) ? NULL :
	    __libc_realloc(p, size);
}

void *
aligned_alloc(size_t align, size_t size)
{
	fi_setup();
	return fi_alloc_fails(size) ? NULL : __libc_memalign(align, size);
}

/* Anonymous maps are allocations too: nftop's large tables (bigmem.c). */
void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "mmap");
	fi_setup();
	if ((flags & MAP_ANONYMOUS) && fi_alloc_fails(len))
		return MAP_FAILED;
	return real(addr, len, prot, flags, fd, off);
}
#endif

int
recvmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags,
    struct timespec *timeout)
{
	static int (*real)(int, struct mmsghdr *, unsigned int, int,
	    struct timespec *);

	fi_setup();
	if (real == NULL)
		real = (int (*)(int, struct mmsghdr *, unsigned int, int,
		    struct timespec *))dlsym(RTLD_NEXT, "recvmmsg");
	if (recv_n > 0 && ++recv_calls % (unsigned)recv_every == 0) {
		errno = recv_errnos[recv_failed++ % (unsigned)recv_n];
		recv_by[errno == EINTR ? 0 : errno == EAGAIN ? 1 : 2]++;
		return -1;
	}
	return real(fd, v, n, flags, timeout);
}

/* At load, before the program can drop privileges. */
__attribute__((constructor)) static void
fi_init(void)
{
	fi_setup();
}

__attribute__((destructor)) static void
fi_report(void)
{
	char line[128];
	int n;

	if (log_fd < 0)
		return;
	n = snprintf(line, sizeof(line), "recv_failed %u alloc_failed %u"
	    " eintr %u eagain %u enobufs %u\n", recv_failed, alloc_failed,
	    recv_by[0], recv_by[1], recv_by[2]);
	if (n > 0)
		(void)write(log_fd, line, (size_t)n);
	close(log_fd);
}
