/*
 * log.h - fatal errors and warnings for the whole program.
 *
 * The engine never knows whether a terminal UI is running; the UI registers
 * a cleanup hook here so that a fatal error restores the terminal before the
 * message is printed.
 */
#ifndef NFTOP_LOG_H
#define NFTOP_LOG_H

typedef void (*log_cleanup_cb)(void);

void	log_set_cleanup(log_cleanup_cb);
void	log_warnx(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));
void	fatalx(const char *, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

#endif
