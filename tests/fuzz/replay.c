/*
 * replay.c - runs a libFuzzer target's LLVMFuzzerTestOneInput on every
 * file of its corpus directories, built with plain gcc (no libFuzzer), so
 * that make test keeps every input a fuzzer ever found.  Any fuzz target
 * links with it: cc -o fuzz-x.t tests/fuzz/replay.c tests/fuzz/fuzz-x.c.
 *
 * usage: replay [DIR|FILE]...; with no argument, the directory the build
 * compiled in as FUZZ_CORPUS (or $FUZZ_CORPUS), skipped if it does not
 * exist.  Prints TAP, one test per argument; a crash is a failed run
 * under prove, and a signal handler names the input that crashed.  (A
 * sanitizer report ends the run without a signal: REPLAY_VERBOSE=1 names
 * every input on stderr before it runs.)
 */
#include <sys/stat.h>
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REPLAY_MAX	(1 << 20)	/* bytes of one input */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NSIGNALS	5

static const int	 signals[NSIGNALS] = { SIGSEGV, SIGBUS, SIGABRT,
			    SIGFPE, SIGILL };
static struct sigaction	 before[NSIGNALS];
static char		 current[4096];	/* the input being replayed */
static int		 verbose;	/* $REPLAY_VERBOSE is set */

/*
 * Names the input that crashed, then hands the signal to the handler that
 * was there before (a sanitizer's, which prints its report) or the
 * default one.
 */
static void
crashed(int sig)
{
	static const char pre[] = "replay: crashed on ";
	size_t i;

	(void)write(STDERR_FILENO, pre, sizeof(pre) - 1);
	(void)write(STDERR_FILENO, current, strlen(current));
	(void)write(STDERR_FILENO, "\n", 1);
	for (i = 0; i < NSIGNALS; i++)
		if (signals[i] == sig)
			sigaction(sig, &before[i], NULL);
	raise(sig);
}

static void
catch_crashes(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = crashed;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGNALS; i++)
		sigaction(signals[i], &sa, &before[i]);
}

static int
replay_file(const char *path)
{
	uint8_t *buf;
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: cannot open\n", path);
		return -1;
	}
	buf = malloc(REPLAY_MAX);
	if (buf == NULL) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, REPLAY_MAX, f);
	fclose(f);
	snprintf(current, sizeof(current), "%s", path);
	if (verbose)
		fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of a directory, in name order; -1 on error. */
static long
replay_dir(const char *dir)
{
	struct dirent *de;
	struct stat st;
	char **names = NULL, path[4096];
	size_t n = 0, i;
	long done = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (names == NULL || (names[n] = strdup(de->d_name)) == NULL)
			return -1;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_file(path) == 0)
			done++;
		free(names[i]);
	}
	free(names);
	return done;
}

int
main(int argc, char **argv)
{
	const char *def = getenv("FUZZ_CORPUS");
	struct stat st;
	long n;
	int i, failed = 0;

	verbose = getenv("REPLAY_VERBOSE") != NULL;
	catch_crashes();
#ifdef FUZZ_CORPUS
	if (def == NULL)
		def = FUZZ_CORPUS;
#endif
	if (argc < 2) {
		/* No corpus yet (git keeps no empty directory): nothing to
		 * replay is not a failure. */
		if (def == NULL || stat(def, &st) != 0) {
			printf("1..0 # SKIP no corpus at %s\n",
			    def != NULL ? def : "(none given)");
			return 0;
		}
		argv[1] = (char *)def;
		argc = 2;
	}
	printf("1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			n = replay_dir(argv[i]);
		else
			n = replay_file(argv[i]) == 0 ? 1 : -1;
		printf("%sok %d - %ld inputs from %s\n", n < 0 ? "not " : "",
		    i, n < 0 ? 0 : n, argv[i]);
		failed += n < 0;
	}
	return failed != 0;
}
