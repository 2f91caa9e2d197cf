/*
 * keymap.c - finds a keymap file, reads its bindings, and looks keys up.
 *
 * A keymap name resolves to the first of: the name itself if it is an
 * existing file; $XDG_CONFIG_HOME/nftop/NAME.keys ($HOME/.config when it
 * is unset); keymaps/NAME.keys next to the executable (and in its parent
 * directory, for a binary run from the build tree); share/nftop/keymaps
 * beside the executable's bin/ (an install under any PREFIX, moved or
 * not); and NFTOP_DATADIR "/keymaps/NAME.keys" (the Makefile's DATADIR
 * at build time).
 *
 * The syntax is tmux's: "bind KEY COMMAND [ARGS]" ("bind-key" too) and
 * "unbind KEY" ("unbind-key"), words split at blanks, '...' and "..."
 * quote (so a key can be '#'), and a '#' that starts a word starts a
 * comment.  A later binding of the same key replaces the earlier one.
 * After the keymap, $XDG_CONFIG_HOME/nftop/keys ($HOME/.config/nftop/keys)
 * is read on top of it when it exists, so a user changes a few keys
 * without copying a whole keymap.  Called once by ui_create().
 */
#include <sys/stat.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keymap.h"
#include "keyname.h"
#include "xmalloc.h"

static int
keymap_is_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The directory holding the running executable, or "" if unknown. */
static void
keymap_exe_dir(char *dir, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n;

	dir[0] = '\0';
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	snprintf(dir, len, "%s", dirname(exe));
}

/* Tries one candidate; returns 1 and fills path when it exists. */
static int
keymap_try(char *path, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
keymap_try(char *path, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(path, len, fmt, ap);
	va_end(ap);
	return n > 0 && (size_t)n < len && keymap_is_file(path);
}

static int
keymap_resolve(const char *name, char *path, size_t len, char *err,
    size_t errlen)
{
	char dir[PATH_MAX];
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (keymap_try(path, len, "%s", name))
		return 0;
	if (*name == '\0' || strchr(name, '/') != NULL) {
		snprintf(err, errlen, "keymap %s: no such file", name);
		return -1;
	}
	/* The user's own keymap of that name first, then the shipped ones. */
	if (xdg != NULL && *xdg != '\0') {
		if (keymap_try(path, len, "%s/nftop/%s.keys", xdg, name))
			return 0;
	} else if (home != NULL && *home != '\0' &&
	    keymap_try(path, len, "%s/.config/nftop/%s.keys", home, name))
		return 0;
	keymap_exe_dir(dir, sizeof(dir));
	if (dir[0] != '\0' &&
	    (keymap_try(path, len, "%s/keymaps/%s.keys", dir, name) ||
	    keymap_try(path, len, "%s/../keymaps/%s.keys", dir, name) ||
	    keymap_try(path, len, "%s/../share/nftop/keymaps/%s.keys", dir,
	    name)))
		return 0;
#ifdef NFTOP_DATADIR
	if (keymap_try(path, len, "%s/keymaps/%s.keys", NFTOP_DATADIR, name))
		return 0;
#endif
	snprintf(err, errlen, "keymap '%s' not found: no file of that name,"
	    " and no %s.keys in keymaps/ next to nftop, in"
	    " ../share/nftop/keymaps from it, in %s/keymaps or in"
	    " the nftop config directory", name, name,
#ifdef NFTOP_DATADIR
	    NFTOP_DATADIR
#else
	    "the data directory"
#endif
	    );
	return -1;
}

static int
keymap_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Unquotes the word that starts with the quote at p, in place: '...' is
 * literal, "..." takes backslash escapes.  Returns the character after
 * the closing quote, or NULL with a message in err.
 */
static char *
keymap_unquote(char *p, char *err, size_t errlen)
{
	char q = *p, *o = p;

	for (p++; *p != q && *p != '\0'; p++) {
		if (q == '"' && *p == '\\' && p[1] != '\0')
			p++;
		*o++ = *p;
	}
	if (*p != q) {
		snprintf(err, errlen, "missing closing %c", q);
		return NULL;
	}
	*o = '\0';
	if (*++p != '\0' && !keymap_is_blank(*p)) {
		snprintf(err, errlen, "text after closing %c", q);
		return NULL;
	}
	return p;
}

/*
 * Splits a line into words in place.  Returns the number of words, or -1
 * with a message in err.
 */
int
keymap_split(char *line, char **word, char *err, size_t errlen)
{
	char *p = line;
	int n = 0;

	for (;;) {
		while (keymap_is_blank(*p))
			p++;
		if (*p == '\0' || *p == '#')
			return n;
		if (n == KEYMAP_WORDS_MAX) {
			snprintf(err, errlen, "too many arguments");
			return -1;
		}
		word[n++] = p;
		if (*p == '\'' || *p == '"') {
			if ((p = keymap_unquote(p, err, errlen)) == NULL)
				return -1;
		} else
			while (*p != '\0' && !keymap_is_blank(*p))
				p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

static void
keymap_binding_clear(struct keymap_binding *b)
{
	int i;

	for (i = 0; i < b->argc; i++)
		free(b->argv[i]);
	free(b->text);
	memset(b, 0, sizeof(*b));
}

/* Fills b from the words of a bind line; -1 with a message in err. */
static int
keymap_bind(struct keymap_binding *b, char **word, int n, char *err,
    size_t errlen)
{
	size_t len = 0, off;
	int i;

	if (strcmp(word[0], "bind") != 0 && strcmp(word[0], "bind-key") != 0) {
		snprintf(err, errlen, "unknown directive '%s' (want bind or"
		    " unbind)", word[0]);
		return -1;
	}
	if (n < 3) {
		snprintf(err, errlen, "usage: bind KEY COMMAND [ARGS]");
		return -1;
	}
	if ((b->key = keyname_parse(word[1])) == KEYNAME_NONE) {
		snprintf(err, errlen, "unknown key '%s'", word[1]);
		return -1;
	}
	if ((b->cmd = cmd_find(word[2])) == NULL) {
		snprintf(err, errlen, "unknown command '%s'", word[2]);
		return -1;
	}
	if (cmd_check(b->cmd, n - 3, word + 3, err, errlen) != 0)
		return -1;
	for (i = 2; i < n; i++)
		len += strlen(word[i]) + 1;
	b->text = xcalloc(1, len);
	for (i = 2, off = 0; i < n && off < len; i++)
		off += (size_t)snprintf(b->text + off, len - off, "%s%s",
		    i > 2 ? " " : "", word[i]);
	b->argc = n - 3;
	for (i = 0; i < b->argc; i++)
		b->argv[i] = xstrdup(word[3 + i]);
	return 0;
}

/* Adds b, replacing an earlier binding of the same key. */
static int
keymap_add(struct keymap *km, struct keymap_binding *b, char *err,
    size_t errlen)
{
	size_t i;

	for (i = 0; i < km->n; i++)
		if (km->v[i].key == b->key) {
			keymap_binding_clear(&km->v[i]);
			km->v[i] = *b;
			return 0;
		}
	if (km->n == KEYMAP_BINDINGS_MAX) {
		snprintf(err, errlen, "more than %d bindings",
		    KEYMAP_BINDINGS_MAX);
		return -1;
	}
	km->v[km->n++] = *b;
	return 0;
}

/* "unbind KEY": the key does nothing any more. */
static int
keymap_unbind(struct keymap *km, char **word, int n, char *err,
    size_t errlen)
{
	size_t i;
	int key;

	if (n != 2) {
		snprintf(err, errlen, "usage: unbind KEY");
		return -1;
	}
	if ((key = keyname_parse(word[1])) == KEYNAME_NONE) {
		snprintf(err, errlen, "unknown key '%s'", word[1]);
		return -1;
	}
	for (i = 0; i < km->n; i++)
		if (km->v[i].key == key) {
			keymap_binding_clear(&km->v[i]);
			memmove(&km->v[i], &km->v[i + 1], (km->n - i - 1) *
			    sizeof(km->v[0]));
			km->n--;
			break;
		}
	return 0;
}

static int
keymap_read(struct keymap *km, const char *path, FILE *f, char *err,
    size_t errlen)
{
	struct keymap_binding b;
	char line[KEYMAP_LINE_MAX + 2], msg[256], *word[KEYMAP_WORDS_MAX];
	unsigned lineno = 0;
	size_t len;
	int n;

	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		len = strlen(line);
		if (len > KEYMAP_LINE_MAX ||
		    (len > 0 && line[len - 1] != '\n' && !feof(f))) {
			snprintf(msg, sizeof(msg), "line longer than %d bytes",
			    KEYMAP_LINE_MAX);
			goto bad;
		}
		if ((n = keymap_split(line, word, msg, sizeof(msg))) < 0)
			goto bad;
		if (n == 0)
			continue;
		if (strcmp(word[0], "unbind") == 0 ||
		    strcmp(word[0], "unbind-key") == 0) {
			if (keymap_unbind(km, word, n, msg, sizeof(msg)) != 0)
				goto bad;
			continue;
		}
		memset(&b, 0, sizeof(b));
		if (keymap_bind(&b, word, n, msg, sizeof(msg)) != 0 ||
		    keymap_add(km, &b, msg, sizeof(msg)) != 0) {
			keymap_binding_clear(&b);
			goto bad;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "%s:%u: %s", path, lineno, msg);
	return -1;
}

static int
keymap_read_file(struct keymap *km, const char *path, char *err,
    size_t errlen)
{
	FILE *f;
	int r;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = keymap_read(km, path, f, err, errlen);
	fclose(f);
	return r;
}

/*
 * Reads a keymap from len bytes of text, named name in messages: the
 * file reader on a memory stream, for the fuzz target and tests.
 */
struct keymap *
keymap_parse(const char *text, size_t len, const char *name, char *err,
    size_t errlen)
{
	struct keymap *km = xcalloc(1, sizeof(*km));
	FILE *f;
	int r;

	km->v = xcalloc(KEYMAP_BINDINGS_MAX, sizeof(*km->v));
	snprintf(km->path, sizeof(km->path), "%s", name);
	/* fmemopen() refuses a zero size: an empty text has no bindings. */
	if (len == 0) {
		snprintf(err, errlen, "%s: no bindings", name);
		keymap_free(km);
		return NULL;
	}
	if ((f = fmemopen((void *)(uintptr_t)text, len, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		keymap_free(km);
		return NULL;
	}
	r = keymap_read(km, name, f, err, errlen);
	fclose(f);
	if (r == 0 && km->n == 0) {
		snprintf(err, errlen, "%s: no bindings", name);
		r = -1;
	}
	if (r != 0) {
		keymap_free(km);
		return NULL;
	}
	return km;
}

/* The user's bindings on top: $XDG_CONFIG_HOME/nftop/keys, if any. */
static int
keymap_user(struct keymap *km, char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char path[PATH_MAX];

	if (xdg != NULL && *xdg == '/') {
		if (!keymap_try(path, sizeof(path), "%s/nftop/keys", xdg))
			return 0;
	} else if (home == NULL || *home == '\0' ||
	    !keymap_try(path, sizeof(path), "%s/.config/nftop/keys", home))
		return 0;
	if (keymap_read_file(km, path, err, errlen) != 0)
		return -1;
	snprintf(km->user, sizeof(km->user), "%s", path);
	return 0;
}

struct keymap *
keymap_load(const char *name, char *err, size_t errlen)
{
	struct keymap *km = xcalloc(1, sizeof(*km));
	char real[PATH_MAX];

	if (name == NULL)
		name = "default";
	km->v = xcalloc(KEYMAP_BINDINGS_MAX, sizeof(*km->v));
	if (keymap_resolve(name, km->path, sizeof(km->path), err,
	    errlen) != 0) {
		keymap_free(km);
		return NULL;
	}
	/* "build/../keymaps/x.keys" reads better as the file it is. */
	if (realpath(km->path, real) != NULL)
		snprintf(km->path, sizeof(km->path), "%s", real);
	if (keymap_read_file(km, km->path, err, errlen) != 0 ||
	    keymap_user(km, err, errlen) != 0) {
		keymap_free(km);
		return NULL;
	}
	if (km->n == 0) {
		snprintf(err, errlen, "%s: no bindings", km->path);
		keymap_free(km);
		return NULL;
	}
	return km;
}

void
keymap_free(struct keymap *km)
{
	size_t i;

	if (km == NULL)
		return;
	for (i = 0; i < km->n; i++)
		keymap_binding_clear(&km->v[i]);
	free(km->v);
	free(km);
}

const struct keymap_binding *
keymap_lookup(const struct keymap *km, int key)
{
	size_t i;

	for (i = 0; i < km->n; i++)
		if (km->v[i].key == key)
			return &km->v[i];
	return NULL;
}

/* The first binding of a command (with this first argument, if given). */
const struct keymap_binding *
keymap_find_cmd(const struct keymap *km, const char *cmd, const char *arg)
{
	const struct keymap_binding *b;
	size_t i;

	for (i = 0; i < km->n; i++) {
		b = &km->v[i];
		if (strcmp(b->cmd->name, cmd) != 0)
			continue;
		if (arg == NULL ||
		    (b->argc > 0 && strcmp(b->argv[0], arg) == 0))
			return b;
	}
	return NULL;
}
