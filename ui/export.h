/*
 * export.h - writes what the current view shows to a file: the flow
 * records (Flows view) or the whole report (every other view: top keys,
 * protocols, exporters, interfaces), through the batch printers, as JSON,
 * CSV or text.
 *
 * nftop may run as "nobody" by now, so the default name is in the
 * current directory when it is writable, else in $TMPDIR (or /tmp); the
 * message line says where it wrote, or why it could not.  Files are
 * created, never overwritten.
 */
#ifndef NFTOP_UI_EXPORT_H
#define NFTOP_UI_EXPORT_H

#include <stddef.h>

#define EXPORT_FLOWS_MAX	1000000	/* records a flows export writes */

struct ui;

int	export_format_ok(const char *);
void	export_prompt(struct ui *, const char *format);
int	export_write(struct ui *, const char *format, const char *path);
const char *export_default_path(const struct ui *, const char *format,
	    char *, size_t);

#endif
