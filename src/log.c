/*
 * log.c - fatal errors and warnings.
 *
 * fatal() appends strerror(errno); fatalx() does not.  Both run the cleanup
 * hook first (the UI's endwin) so that the message lands on a sane terminal.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static log_cleanup_cb log_cleanup;

void
log_set_cleanup(log_cleanup_cb cb)
{
	log_cleanup = cb;
}

static void
log_vprint(const char *fmt, va_list ap, const char *cause)
{
	fputs("nftop: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (cause != NULL)
		fprintf(stderr, ": %s", cause);
	fputc('\n', stderr);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprint(fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	if (log_cleanup != NULL)
		log_cleanup();
	va_start(ap, fmt);
	log_vprint(fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	if (log_cleanup != NULL)
		log_cleanup();
	va_start(ap, fmt);
	log_vprint(fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
