/*
 * filter.c - the public face of the filter compiler (filter.h): compile,
 * free, describe errors, and complete a half-typed filter for the prompt.
 *
 * Compiling runs the lexer and parser (filter-lex.c, filter-parse.c,
 * filter-term.c) into a syntax tree, then filter-eval.c flattens the tree
 * into the program filter_match() runs.  The struct filter takes over the
 * address constants and sets the parser made; tokens and tree are freed.
 * Callers own the filters they compile; nothing here is global.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter-impl.h"
#include "xmalloc.h"

/* The text for display: trimmed, "any" when it says nothing. */
static char *
display_text(const char *text, int empty)
{
	const char *s = text, *e;
	char *out;

	if (empty)
		return xstrdup("any");
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		e--;
	out = xmalloc((size_t)(e - s) + 1);
	memcpy(out, s, (size_t)(e - s));
	out[e - s] = '\0';
	return out;
}

struct filter *
filter_compile_ex(const char *text, int flags, struct filter_error *err)
{
	struct fparse p;
	struct filter *f;
	int root;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (text == NULL)
		text = "";
	flags &= FILTER_F_NOINCLUDE | FILTER_F_NOHOSTS;
	if ((root = fparse_run(&p, text, flags, err)) < 0) {
		fparse_free(&p);
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	if (fprog_build(f, &p, root) != 0) {
		fp_error(&p, fp_tok(&p), "split it into fewer terms",
		    "Filter too complex");
		fparse_free(&p);
		free(f);
		return NULL;
	}
	f->addrs = p.addrs;
	f->naddrs = p.naddrs;
	f->sets = p.sets;
	f->nsets = p.nsets;
	p.addrs = NULL;
	p.sets = NULL;
	p.naddrs = p.nsets = 0;
	f->text = display_text(text, p.lx.ntoks == 1);
	fparse_free(&p);
	return f;
}

struct filter *
filter_compile(const char *text, char *err, size_t errlen)
{
	struct filter_error e;
	struct filter *f;

	if ((f = filter_compile_ex(text, 0, &e)) == NULL && err != NULL &&
	    errlen > 0)
		snprintf(err, errlen, "%s", e.message);
	return f;
}

void
filter_free(struct filter *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nsets; i++)
		fset_free(&f->sets[i]);
	free(f->sets);
	free(f->addrs);
	free(f->prog);
	free(f->text);
	free(f);
}

const char *
filter_text(const struct filter *f)
{
	return f->text;
}

void
filter_set_sources(struct filter *f, const struct source_table *t)
{
	f->sources = t;
}

/*
 * The line of text holding the error and a caret line under the token;
 * tabs are copied so the caret lines up in a terminal.
 */
const char *
filter_error_caret(const char *text, const struct filter_error *e,
    char *buf, size_t len)
{
	const char *ls, *le;
	size_t o = 0, i, col, n;
	int line;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (text == NULL || e->line < 1)
		return buf;
	for (ls = text, line = 1; line < e->line && *ls != '\0'; ls++)
		if (*ls == '\n')
			line++;
	le = strchr(ls, '\n');
	n = le != NULL ? (size_t)(le - ls) : strlen(ls);
	col = e->column > 0 ? (size_t)e->column - 1 : 0;
	if (n + col + e->length + 4 > len)
		return buf;
	memcpy(buf, ls, n);
	o = n;
	buf[o++] = '\n';
	for (i = 0; i < col; i++)
		buf[o++] = i < n && ls[i] == '\t' ? '\t' : ' ';
	buf[o++] = '^';
	for (i = 1; i < e->length; i++)
		buf[o++] = '^';
	buf[o] = '\0';
	return buf;
}

static int
complete_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '.' ||
	    c == '-';
}

size_t
filter_complete_start(const char *line, size_t cursor)
{
	size_t len = strlen(line);

	if (cursor > len)
		cursor = len;
	while (cursor > 0 && complete_char((unsigned char)line[cursor - 1]))
		cursor--;
	return cursor;
}

static size_t
offer(const char **out, size_t max, size_t n, const char *c)
{
	size_t i;

	for (i = 0; i < n && i < max; i++)
		if (strcmp(out[i], c) == 0)
			return n;
	if (n < max)
		out[n] = c;
	return n + 1;
}

size_t
filter_complete(const char *line, size_t cursor, const char **out,
    size_t max)
{
	const struct fexpect *e;
	const char *partial, *c;
	struct fparse p;
	size_t start, plen, n = 0, i, j;
	char *head;

	if (line == NULL)
		return 0;
	start = filter_complete_start(line, cursor);
	if (cursor > strlen(line))
		cursor = strlen(line);
	partial = line + start;
	plen = cursor - start;
	head = xmalloc(start + 1);
	memcpy(head, line, start);
	head[start] = '\0';
	/* Nothing may be read or resolved: includes off, names lax. */
	fparse_run(&p, head, FILTER_F_NOINCLUDE | FILTER_F_NOHOSTS |
	    FILTER_F_LAX, NULL);
	e = &p.exp;
	/* Only if parsing got to the cursor do the notes describe it. */
	if (e->pos == p.lx.ntoks - 1) {
		for (i = 0; i < e->n; i++) {
			c = e->what[i];
			if (c[0] == '<' ? plen == 0 :
			    strncasecmp(c, partial, plen) == 0)
				n = offer(out, max, n, c);
		}
		for (i = 0; i < e->nlist; i++)
			for (j = 0; e->list[i][j] != NULL; j++) {
				c = e->list[i][j];
				if (c[0] >= '0' && c[0] <= '9')
					continue;
				if (strncasecmp(c, partial, plen) == 0)
					n = offer(out, max, n, c);
			}
	}
	fparse_free(&p);
	free(head);
	return n;
}
