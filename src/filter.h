/*
 * filter.h - flow filters in nfdump's syntax, compiled once and matched
 * per record without allocation.
 *
 * The language is nfdump 1.7.5+'s, plus the classic 1.7.0-1.7.4 spellings
 * (FILTER.md, sections 2 and 8): "proto tcp and not (port 80 or port 443)",
 * "src net 10.0.0.0/8", "bps > 10m", "flags =S", "dst port in [22 3389]".
 * A filter compiles into a flat program of tests with true/false jumps
 * (short-circuit and/or/not); address and port lists become sets.
 *
 * Errors carry nfdump's text ("Line 1: syntax error at 'dst'") and, after
 * it, the column and what would have been valid there.  A caller keeps its
 * old filter until filter_compile() returns a new one, so a bad filter
 * never replaces the one in force.
 *
 * Primitives whose field a record lacks (no VLAN in NetFlow v5, no
 * tunnel fields anywhere yet) parse and are false, as in nfdump 1.7.5+.
 * Exporter primitives ("router ip", "engine-type", "engine-id") need the
 * source table: see filter_set_sources().
 */
#ifndef NFTOP_FILTER_H
#define NFTOP_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct filter;
struct source_table;

/* filter_compile_ex() flags. */
#define FILTER_F_NOINCLUDE	0x01	/* refuse "@include FILE" */
#define FILTER_F_NOHOSTS	0x02	/* refuse host names */

/*
 * Where and why a filter failed.  line and column are 1-based (column in
 * bytes); offset/length span the offending token in the text given to
 * filter_compile (0/0 when it lies in an included file).  message is the
 * full one-line text filter_compile() writes to err; nfdump the part nfdump
 * itself would print; expected the tokens valid at that point, comma
 * separated ("and, or, ')', end of filter"), or empty.
 */
struct filter_error {
	int		 line;
	int		 column;
	size_t		 offset;
	size_t		 length;
	char		 nfdump[704];
	char		 expected[256];
	char		 message[1024];
};

/*
 * Compiles text; NULL and a message in err (which may be NULL) if it is
 * not a valid filter.  An empty or blank text, or "any", matches every
 * record.  The message reads
 *   Line 1: syntax error at 'dst' (column 17; expected and, or, ')' or
 *   end of filter)
 */
struct filter	*filter_compile(const char *, char *err, size_t errlen);
struct filter	*filter_compile_ex(const char *text, int flags,
		    struct filter_error *);
void		 filter_free(struct filter *);

/* 1 if the record passes.  No allocation, no locale, no system call. */
int		 filter_match(const struct filter *,
		    const struct flow_rec *);

/*
 * 1 if the answer depends on the protocol number alone ("proto tcp or
 * proto udp", "any"); then bit p of map says whether protocol p passes.
 * A caller matching many filters per record looks those up instead.
 */
int		 filter_proto_only(const struct filter *, uint8_t map[32]);

/* The text as given (trimmed), or "any" for the match-all filter. */
const char	*filter_text(const struct filter *);

/*
 * Lets "router ip", "exporter ip", "engine-type" and "engine-id" look up a
 * record's exporter (flow_rec.source) in the table; without it those
 * primitives are false.  The table must outlive the filter's use; the
 * filter does not own it.
 */
void		 filter_set_sources(struct filter *,
		    const struct source_table *);

/*
 * A two-line picture of where an error is: the filter text and a caret
 * line under the offending token.  Returns buf.
 */
const char	*filter_error_caret(const char *text,
		    const struct filter_error *, char *buf, size_t len);

/*
 * Completion for a prompt.  line[0..cursor) is what the user has typed;
 * the word under the cursor (filter_complete_start() tells where it
 * begins) is the prefix to complete.  Fills out[] with at most max
 * candidates valid at that point and returns how many there are in all
 * (which may exceed max).  Candidates are static strings: keywords
 * ("proto", "and"), punctuation ("(", "["), names ("tcp", "Forw") and,
 * only when the prefix is empty, placeholders in angle brackets
 * ("<number>", "<address>", "<end of filter>") that describe a value
 * rather than text to insert.  Keywords match the prefix without regard
 * to case.  Nothing is resolved or read while completing.
 *
 *   filter_complete("proto tcp an", 12, out, 8) -> 1: "and"
 *   filter_complete("src ", 4, out, 8)          -> "ip", "net", "port", ...
 */
size_t		 filter_complete(const char *line, size_t cursor,
		    const char **out, size_t max);
size_t		 filter_complete_start(const char *line, size_t cursor);

#endif
