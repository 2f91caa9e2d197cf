/*
 * filter-lex.c - splits a filter into tokens, the way nfdump's scanner
 * does, into an array the parser then walks (it needs two tokens of
 * look-ahead for the classic "src and dst" qualifier).
 *
 * Words are [A-Za-z0-9_:.-]+.  A word that is entirely a number (decimal,
 * 0x hex, or decimal with one of k m g t: x1000, not 1024) is a number;
 * "1.5m" and "10KB" stay words, as nfdump reads them.  Unlike nfdump 1.7.5+
 * "=" never joins a word, so "port=80" and "port ==80" read as the user
 * meant (FILTER.md section 8).  Keywords are not decided here: the parser
 * reads a word as a keyword or as a value depending on where it stands,
 * which is what makes "flags AS" and "geo IN" work.
 *
 * "#" starts a comment to the end of the line; "@include FILE" reads FILE
 * in place (a regular file, bounded in size and nesting depth).  Errors
 * found here (a string over 256 bytes, an include that fails) become error
 * tokens, so they are reported where the parser meets them, as nfdump does.
 * The lexer keeps all its state in struct flex: it is reentrant.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filter-impl.h"
#include "xmalloc.h"

struct lexpos {
	int		 src;
	size_t		 pos;
	uint32_t	 line;
	size_t		 line_start;
	int		 depth;		/* include nesting */
};

static int	 flex_source(struct flex *, struct lexpos *);
static void	 tok_error(struct flex *, const struct lexpos *, size_t,
		    size_t, const char *, ...)
		    __attribute__((format(printf, 5, 6)));

static int
is_word_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '.' ||
	    c == '-';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
hexval(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

/* Appends s[0..len) and a NUL to the pool; returns its offset. */
static uint32_t
pool_add(struct flex *lx, const char *s, size_t len)
{
	size_t off = lx->npool;

	while (lx->npool + len + 1 > lx->poolcap) {
		lx->poolcap = lx->poolcap ? lx->poolcap * 2 : 256;
		lx->pool = xreallocarray(lx->pool, lx->poolcap, 1);
	}
	memcpy(lx->pool + off, s, len);
	lx->pool[off + len] = '\0';
	lx->npool += len + 1;
	return (uint32_t)off;
}

static struct ftok *
tok_new(struct flex *lx, const struct lexpos *lp, int type, size_t start,
    size_t len)
{
	struct ftok *t;

	if (lx->ntoks == lx->cap) {
		lx->cap = lx->cap ? lx->cap * 2 : 32;
		lx->toks = xreallocarray(lx->toks, lx->cap, sizeof(*t));
	}
	t = &lx->toks[lx->ntoks++];
	memset(t, 0, sizeof(*t));
	t->type = (uint8_t)type;
	t->src = (uint8_t)lp->src;
	t->line = lp->line;
	t->col = (uint32_t)(start - lp->line_start + 1);
	t->off = (uint32_t)start;
	t->len = (uint32_t)len;
	t->val = pool_add(lx, lx->srcs[lp->src].text + start, len);
	return t;
}

static void
tok_error(struct flex *lx, const struct lexpos *lp, size_t start,
    size_t len, const char *fmt, ...)
{
	struct ftok *t;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t = tok_new(lx, lp, FT_ERR, start, len);
	t->val = pool_add(lx, msg, strlen(msg));
}

/*
 * Number forms of nfdump's scanner: [0-9]+, 0[xX][0-9a-fA-F]+ and
 * [0-9]+[kmgtKMGT].  Returns 1 for a number, 0 for a plain word, -1 for a
 * number that does not fit in 64 bits (nfdump wraps silently; we refuse).
 */
static int
lex_number(const char *s, size_t len, uint64_t *v)
{
	uint64_t n = 0, scale = 1;
	size_t i, end = len;
	int d;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = 2; i < len; i++)
			if (!is_xdigit(s[i]))
				return 0;
		for (i = 2; i < len; i++) {
			if (n > UINT64_MAX >> 4)
				return -1;
			n = n << 4 | (uint64_t)hexval(s[i]);
		}
		*v = n;
		return 1;
	}
	switch (s[len - 1]) {
	case 'k': case 'K':
		scale = 1000;
		end--;
		break;
	case 'm': case 'M':
		scale = 1000000;
		end--;
		break;
	case 'g': case 'G':
		scale = 1000000000;
		end--;
		break;
	case 't': case 'T':
		scale = UINT64_C(1000000000000);
		end--;
		break;
	}
	if (end == 0)
		return 0;
	for (i = 0; i < end; i++)
		if (!is_digit(s[i]))
			return 0;
	for (i = 0; i < end; i++) {
		d = s[i] - '0';
		if (n > (UINT64_MAX - (uint64_t)d) / 10)
			return -1;
		n = n * 10 + (uint64_t)d;
	}
	if (n > UINT64_MAX / scale)
		return -1;
	*v = n * scale;
	return 1;
}

static void
lex_word(struct flex *lx, struct lexpos *lp)
{
	const char *text = lx->srcs[lp->src].text;
	size_t start = lp->pos, len;
	struct ftok *t;
	uint64_t v = 0;
	int r;

	while (lp->pos < lx->srcs[lp->src].len &&
	    is_word_char((unsigned char)text[lp->pos]))
		lp->pos++;
	len = lp->pos - start;
	if (len > FILTER_STR_MAX) {
		tok_error(lx, lp, start, len,
		    "String length exceeds %d bytes", FILTER_STR_MAX);
		return;
	}
	r = lex_number(text + start, len, &v);
	if (r < 0) {
		tok_error(lx, lp, start, len, "Number %.*s out of range",
		    (int)len, text + start);
		return;
	}
	t = tok_new(lx, lp, r ? FT_NUM : FT_WORD, start, len);
	t->num = v;
}

/*
 * A quoted string: printable ASCII up to the same quote character, no
 * escapes, at least one character.  Anything else leaves the quote as a
 * lone character token, which the parser then reports as nfdump does.
 */
static void
lex_quoted(struct flex *lx, struct lexpos *lp)
{
	const struct fsrc *s = &lx->srcs[lp->src];
	size_t start = lp->pos, i;
	char q = s->text[start];
	struct ftok *t;

	for (i = start + 1; i < s->len && s->text[i] != q; i++)
		if (s->text[i] < ' ' || s->text[i] > '~')
			break;
	if (i >= s->len || s->text[i] != q || i == start + 1) {
		t = tok_new(lx, lp, FT_CHAR, start, 1);
		t->ch = (uint8_t)q;
		lp->pos = start + 1;
		return;
	}
	lp->pos = i + 1;
	if (i - start - 1 > FILTER_STR_MAX) {
		tok_error(lx, lp, start, lp->pos - start,
		    "String length exceeds %d bytes", FILTER_STR_MAX);
		return;
	}
	t = tok_new(lx, lp, FT_QSTR, start, lp->pos - start);
	t->val = pool_add(lx, s->text + start + 1, i - start - 1);
}

/* Reads a whole regular file of bounded size; never blocks on a FIFO. */
static char *
read_file(const char *path, size_t *lenp, int *errp)
{
	struct stat st;
	char *buf;
	size_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		*errp = errno;
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > FILTER_FILE_MAX) {
		*errp = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		close(fd);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (off < (size_t)st.st_size) {
		n = read(fd, buf + off, (size_t)st.st_size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	*lenp = off;
	return buf;
}

/* "@include FILE": the file's tokens go where the directive stood. */
static void
lex_include(struct flex *lx, struct lexpos *lp)
{
	const struct fsrc *s = &lx->srcs[lp->src];
	size_t start = lp->pos, nstart;
	struct lexpos inc;
	char name[FILTER_STR_MAX + 1];
	char *text;
	size_t len;
	int err = 0;

	lp->pos += 8;
	while (lp->pos < s->len && (s->text[lp->pos] == ' ' ||
	    s->text[lp->pos] == '\t'))
		lp->pos++;
	nstart = lp->pos;
	while (lp->pos < s->len && s->text[lp->pos] != ' ' &&
	    s->text[lp->pos] != '\t' && s->text[lp->pos] != '\n')
		lp->pos++;
	len = lp->pos - nstart;
	if (lx->flags & FILTER_F_NOINCLUDE) {
		tok_error(lx, lp, start, lp->pos - start,
		    "@include is not allowed here");
		return;
	}
	if (len == 0 || len > FILTER_STR_MAX) {
		tok_error(lx, lp, start, lp->pos - start,
		    "Missing or too long include file name");
		return;
	}
	if (lp->depth >= FILTER_INCLUDE_MAX ||
	    lx->nsrcs >= FILTER_FILES_MAX + 1) {
		tok_error(lx, lp, start, lp->pos - start,
		    "Too many nested file includes. Exceed %d files",
		    FILTER_INCLUDE_MAX);
		return;
	}
	memcpy(name, s->text + nstart, len);
	name[len] = '\0';
	if ((text = read_file(name, &len, &err)) == NULL) {
		tok_error(lx, lp, start, lp->pos - start,
		    "Failed to open include file '%s': %s", name,
		    strerror(err));
		return;
	}
	lx->srcs = xreallocarray(lx->srcs, (size_t)lx->nsrcs + 1,
	    sizeof(*lx->srcs));
	lx->srcs[lx->nsrcs].name = xstrdup(name);
	lx->srcs[lx->nsrcs].text = text;
	lx->srcs[lx->nsrcs].len = len;
	memset(&inc, 0, sizeof(inc));
	inc.src = lx->nsrcs++;
	inc.line = 1;
	inc.depth = lp->depth + 1;
	flex_source(lx, &inc);
}

static void
lex_operator(struct flex *lx, struct lexpos *lp)
{
	const struct fsrc *s = &lx->srcs[lp->src];
	size_t start = lp->pos;
	char c = s->text[start], n = start + 1 < s->len ?
	    s->text[start + 1] : '\0';
	struct ftok *t;
	int cmp = -1;

	if (c == '=')
		cmp = FCMP_EQ;
	else if (c == '>')
		cmp = n == '=' ? FCMP_GE : FCMP_GT;
	else if (c == '<')
		cmp = n == '=' ? FCMP_LE : FCMP_LT;
	if (cmp >= 0) {
		lp->pos += (n == '=') ? 2 : 1;
		t = tok_new(lx, lp, FT_CMP, start, lp->pos - start);
		t->cmp = (uint8_t)cmp;
		return;
	}
	/* The classic grammar's && and ||: words, so "and"/"or" aliases. */
	if ((c == '&' || c == '|') && n == c) {
		lp->pos += 2;
		tok_new(lx, lp, FT_WORD, start, 2);
		return;
	}
	lp->pos++;
	t = tok_new(lx, lp, FT_CHAR, start, 1);
	t->ch = (uint8_t)c;
}

/* Tokenizes one source (the filter or an included file) to its end. */
static int
flex_source(struct flex *lx, struct lexpos *lp)
{
	unsigned char c;

	while (lp->pos < lx->srcs[lp->src].len) {
		const char *text = lx->srcs[lp->src].text;

		c = (unsigned char)text[lp->pos];
		if (c == ' ' || c == '\t') {
			lp->pos++;
		} else if (c == '\n') {
			lp->pos++;
			lp->line++;
			lp->line_start = lp->pos;
		} else if (c == '#') {
			while (lp->pos < lx->srcs[lp->src].len &&
			    text[lp->pos] != '\n')
				lp->pos++;
		} else if (c == '@' && lx->srcs[lp->src].len - lp->pos >= 8 &&
		    strncasecmp(text + lp->pos, "@include", 8) == 0) {
			lex_include(lx, lp);
		} else if (is_word_char(c)) {
			lex_word(lx, lp);
		} else if (c == '\'' || c == '"') {
			lex_quoted(lx, lp);
		} else {
			lex_operator(lx, lp);
		}
	}
	return 0;
}

int
flex_run(struct flex *lx, const char *text, size_t len, int flags)
{
	struct lexpos lp;
	struct ftok *t;

	memset(lx, 0, sizeof(*lx));
	lx->flags = flags;
	lx->srcs = xcalloc(1, sizeof(*lx->srcs));
	lx->srcs[0].text = (char *)text;
	lx->srcs[0].len = len;
	lx->nsrcs = 1;
	memset(&lp, 0, sizeof(lp));
	lp.line = 1;
	flex_source(lx, &lp);
	t = tok_new(lx, &lp, FT_END, len, 0);
	(void)t;
	return 0;
}

void
flex_free(struct flex *lx)
{
	int i;

	for (i = 1; i < lx->nsrcs; i++) {
		free(lx->srcs[i].name);
		free(lx->srcs[i].text);
	}
	free(lx->srcs);
	free(lx->toks);
	free(lx->pool);
	memset(lx, 0, sizeof(*lx));
}

/* The token's value: unquoted text, or an error token's message. */
const char *
flex_val(const struct flex *lx, const struct ftok *t)
{
	return lx->pool + t->val;
}

const char *
flex_raw(const struct flex *lx, const struct ftok *t)
{
	return lx->srcs[t->src].text + t->off;
}

/*
 * The token as nfdump's messages quote it (its raw text, quotes kept),
 * with control characters escaped so that a message stays one line.
 */
size_t
flex_show(const struct flex *lx, const struct ftok *t, char *buf,
    size_t len)
{
	const char *raw = flex_raw(lx, t);
	size_t i, o = 0;
	unsigned char c;
	int n;

	if (len == 0)
		return 0;
	for (i = 0; i < t->len && o + 5 < len; i++) {
		c = (unsigned char)raw[i];
		if (c >= ' ' && c <= '~') {
			buf[o++] = (char)c;
			continue;
		}
		n = snprintf(buf + o, len - o, c == '\r' ? "\\r" : "\\x%02x",
		    c);
		if (n > 0)
			o += (size_t)n;
	}
	buf[o] = '\0';
	return o;
}
