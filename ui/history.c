/*
 * history.c - prompt histories (history.h): a ring of strings, loaded
 * from and saved to a file when it has one.
 *
 * The file is opened once, when the UI starts: nftop may drop root for
 * "nobody" right after, and could then neither create it nor replace it
 * in root's home.  Saving rewrites it through that descriptor.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"
#include "xmalloc.h"

struct history {
	char	*v[HISTORY_MAX];	/* v[0] oldest */
	size_t	 n;
	char	*file;			/* NULL: this session only */
	int	 fd;			/* the file; -1 if it cannot be */
	int	 err;			/* errno of opening it */
};

/* $XDG_STATE_HOME/nftop/NAME, or $HOME/.local/state/nftop/NAME. */
int
history_default_path(const char *name, char *buf, size_t len)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;

	if (xdg != NULL && *xdg == '/')
		n = snprintf(buf, len, "%s/nftop/%s", xdg, name);
	else if (home != NULL && *home != '\0')
		n = snprintf(buf, len, "%s/.local/state/nftop/%s", home, name);
	else
		return -1;
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* Lines with control characters are not ours: skipped. */
static int
history_clean(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static void
history_push(struct history *h, const char *s)
{
	if (h->n == HISTORY_MAX) {
		free(h->v[0]);
		memmove(h->v, h->v + 1, (HISTORY_MAX - 1) * sizeof(h->v[0]));
		h->n--;
	}
	h->v[h->n++] = xstrdup(s);
}

static void
history_load(struct history *h)
{
	char line[HISTORY_LINE_MAX + 2];
	size_t len;
	FILE *f;
	int fd;

	if ((fd = dup(h->fd)) < 0 || (f = fdopen(fd, "r")) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f))
			continue;	/* longer than any we write */
		if (len > 0 && history_clean(line))
			history_push(h, line);
	}
	fclose(f);
}

/* mkdir -p for the file's directory, private to the user. */
static int
history_mkdir(const char *file)
{
	char dir[4096], *p;

	if (snprintf(dir, sizeof(dir), "%s", file) >= (int)sizeof(dir))
		return -1;
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int
history_save(const struct history *h, char *err, size_t errlen)
{
	size_t i, len, off = 0, size = 1;
	ssize_t n;
	char *buf;

	if (h->fd < 0) {
		snprintf(err, errlen, "%s: %s", h->file, strerror(h->err));
		return -1;
	}
	for (i = 0; i < h->n; i++)
		size += strlen(h->v[i]) + 1;
	buf = xmalloc(size);
	for (i = 0; i < h->n; i++) {
		len = strlen(h->v[i]);
		memcpy(buf + off, h->v[i], len);
		buf[off + len] = '\n';
		off += len + 1;
	}
	n = pwrite(h->fd, buf, off, 0);
	free(buf);
	if (n < 0 || (size_t)n != off || ftruncate(h->fd, (off_t)off) != 0) {
		snprintf(err, errlen, "%s: %s", h->file, strerror(errno));
		return -1;
	}
	return 0;
}

/* A history, read from file when one is given (it may not exist yet). */
struct history *
history_create(const char *file)
{
	struct history *h = xcalloc(1, sizeof(*h));

	h->fd = -1;
	if (file != NULL) {
		h->file = xstrdup(file);
		if (history_mkdir(file) != 0 || (h->fd = open(file, O_RDWR |
		    O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
			h->err = errno;
		else
			history_load(h);
	}
	return h;
}

void
history_free(struct history *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->n; i++)
		free(h->v[i]);
	if (h->fd >= 0)
		close(h->fd);
	free(h->file);
	free(h);
}

/*
 * Adds s, unless it is blank or repeats the newest entry (which then
 * moves nowhere); saves the file.  -1 with a message if saving failed.
 */
int
history_add(struct history *h, const char *s, char *err, size_t errlen)
{
	size_t i;

	if (*s == '\0' || strlen(s) > HISTORY_LINE_MAX || !history_clean(s))
		return 0;
	if (h->n > 0 && strcmp(h->v[h->n - 1], s) == 0)
		return 0;
	/* An older copy goes: the list holds each line once. */
	for (i = 0; i < h->n; i++)
		if (strcmp(h->v[i], s) == 0) {
			free(h->v[i]);
			memmove(h->v + i, h->v + i + 1, (h->n - i - 1) *
			    sizeof(h->v[0]));
			h->n--;
			break;
		}
	history_push(h, s);
	return h->file != NULL ? history_save(h, err, errlen) : 0;
}

size_t
history_count(const struct history *h)
{
	return h->n;
}

/* The entry back from the newest (0 = newest), or NULL. */
const char *
history_get(const struct history *h, size_t back)
{
	return back < h->n ? h->v[h->n - 1 - back] : NULL;
}
