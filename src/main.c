/*
 * main.c - options, wiring and the event loop: the only file that sees
 * both the engine (src/) and the terminal UI (ui/).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <unistd.h>

#include <event2/event.h>

#include "clock.h"
#include "collector.h"
#include "config.h"
#include "demo.h"
#include "engine.h"
#include "filter.h"
#include "hash.h"
#include "keys.h"
#include "fault.h"
#include "log.h"
#include "pcapread.h"
#include "report.h"
#include "source.h"
#include "store.h"
#include "tmpl.h"
#include "view.h"
#include "xmalloc.h"
#include "acl.h"
#include "alert.h"
#include "channel.h"
#include "analysis.h"
#include "capture.h"
#include "forward.h"
#include "meter.h"
#include "privdrop.h"
#include "ch-sink.h"
#include "ch-source.h"
#include "../ui/ui.h"

#define NFTOP_VERSION		"0.1.0"
#define LISTEN_MAX		16
/*
 * Defaults that keep a flood of new keys under 128 MiB (README, Memory):
 * 50 MiB of history, 16 MiB per view's full key table.
 */
#define DEFAULT_HISTORY		(1u << 18)	/* records retained: 50 MiB */
#define DEFAULT_KEYS		(1u << 16)	/* live keys per view */
#define DEFAULT_RCVBUF		(32 << 20)
#define READ_STEP		20000		/* packets per loop pass */
#define METER_FLOWS		(1u << 18)	/* flows metered at once */
#define METER_INACTIVE_MSEC	15000
#define METER_ACTIVE_MSEC	1800000
#define PCAP_ERRBUF_LEN		512
#define CH_FLUSH_MSEC		10000	/* at exit, for the sink's backlog */
#define CH_READ_STEP		1000	/* packets per step into a sink */
/* Long options without a short letter. */
#define OPT_CLICKHOUSE		0x100
#define OPT_FROM_CLICKHOUSE	0x101
#define OPT_CLICKHOUSE_BUFFER	0x102

struct options {
	const char	*listen[LISTEN_MAX];
	int		 nlisten;
	const char	*sflow[LISTEN_MAX];
	int		 nsflow;
	const char	*ifaces[LISTEN_MAX];
	int		 nifaces;
	const char	*bpf;
	const char	*user;
	const char	*allow[LISTEN_MAX * 4];
	int		 nallow;
	const char	*forward[LISTEN_MAX];
	int		 nforward;
	const char	*read_path;
	const char	*filter;
	const char	*aggregate;
	const char	*order;
	const char	*window;
	const char	*keymap;
	int		 keymap_given;	/* on the command line */
	const char	*config;	/* --config FILE */
	int		 batch;
	int		 flows;
	int		 demo;
	enum report_format format;
	double		 interval;
	long		 count;
	long		 top;
	long		 history;
	long		 max_keys;
	long		 rcvbuf;
	long		 sampling;	/* < 0: forced */
	const char	*ch_url;	/* --clickhouse */
	const char	*ch_from;	/* --from-clickhouse */
	long		 ch_rows;	/* --clickhouse-buffer */
	struct analysis_opts an;	/* --channels --alerts --geoip ... */
	const char	*at;		/* --at TIME: the history cursor */
	int		 burst;		/* --burst */
};

struct nftop {
	struct options		 o;
	struct config		 cfg;
	struct engine		 e;
	struct report_ctx	 rc;
	struct ui		*ui;
	struct event		*tick;
	struct event		*reader_ev;
	struct event		*sig[4];
	struct meter		*meter;
	struct capture		*cap[LISTEN_MAX];
	struct acl		 allow;
	struct forwarder	 fwd;
	uint64_t		 next_report_msec;
	long			 reports;
	int			 signalled;	/* SIGINT/SIGTERM ended the loop */
	int			 ch_fresh;	/* a ClickHouse round since the
						 * last report */
};

/* Options with no short letter. */
enum {
	OPT_CHANNELS = 1000, OPT_ALERTS, OPT_AT, OPT_BURST, OPT_GEOIP,
	OPT_ASN, OPT_IFNAMES
};

static const struct option longopts[] = {
	{ "listen", required_argument, NULL, 'l' },
	{ "sflow", required_argument, NULL, 'S' },
	{ "interface", required_argument, NULL, 'i' },
	{ "read", required_argument, NULL, 'r' },
	{ "bpf", required_argument, NULL, 'f' },
	{ "filter", required_argument, NULL, 'F' },
	{ "aggregate", required_argument, NULL, 'A' },
	{ "order", required_argument, NULL, 'O' },
	{ "top", required_argument, NULL, 'n' },
	{ "window", required_argument, NULL, 'w' },
	{ "batch", no_argument, NULL, 'b' },
	{ "format", required_argument, NULL, 'o' },
	{ "interval", required_argument, NULL, 't' },
	{ "count", required_argument, NULL, 'c' },
	{ "flows", no_argument, NULL, 'R' },
	{ "demo", no_argument, NULL, 'D' },
	{ "keymap", required_argument, NULL, 'k' },
	{ "config", required_argument, NULL, 'C' },
	{ "history", required_argument, NULL, 'H' },
	{ "max-keys", required_argument, NULL, 'K' },
	{ "rcvbuf", required_argument, NULL, 'B' },
	{ "sampling", required_argument, NULL, 's' },
	{ "user", required_argument, NULL, 'u' },
	{ "allow", required_argument, NULL, 'a' },
	{ "forward", required_argument, NULL, 'T' },
	{ "clickhouse", required_argument, NULL, OPT_CLICKHOUSE },
	{ "from-clickhouse", required_argument, NULL, OPT_FROM_CLICKHOUSE },
	{ "clickhouse-buffer", required_argument, NULL,
	    OPT_CLICKHOUSE_BUFFER },
	{ "channels", required_argument, NULL, OPT_CHANNELS },
	{ "alerts", no_argument, NULL, OPT_ALERTS },
	{ "at", required_argument, NULL, OPT_AT },
	{ "burst", no_argument, NULL, OPT_BURST },
	{ "geoip", required_argument, NULL, OPT_GEOIP },
	{ "asn", required_argument, NULL, OPT_ASN },
	{ "ifnames", required_argument, NULL, OPT_IFNAMES },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fputs(
"usage: nftop [OPTION]... [FILTER]\n"
"Live network-flow monitor: NetFlow v5/v9, IPFIX and sFlow collector,\n"
"top talkers in the terminal, or reports on stdout with --batch.\n"
"\n"
"Sources (with none, listens on UDP 2055 and 4739 for NetFlow/IPFIX\n"
"and 6343 for sFlow):\n"
"  -l, --listen [ADDR:]PORT   NetFlow/IPFIX over UDP; repeatable\n"
"      --listen tcp:[ADDR:]PORT  IPFIX over TCP\n"
"      --sflow [ADDR:]PORT    sFlow v5 over UDP; repeatable\n"
"  -i, --interface IFACE      capture packets and meter them into flows;\n"
"                             repeatable (needs CAP_NET_RAW)\n"
"  -f, --bpf EXPR             capture filter for --interface and --read\n"
"  -r, --read FILE            read a pcap/pcapng file: export datagrams in it\n"
"                             are decoded, other packets are metered\n"
"  -D, --demo                 also run the built-in demo exporter\n"
"View:\n"
"  -F, --filter EXPR          flow filter (nfdump syntax); or trailing FILTER\n"
"  -A, --aggregate KEYS       srcip dstip ip pair srcport dstport port proto\n"
"                             srcas dstas as inif outif if tos nexthop\n"
"                             exporter srccountry dstcountry country\n"
"                             5tuple; comma list; srcip/24 prefixes\n"
"  -O, --order ORDER          bytes, packets or flows; bps or pps: by rate on\n"
"                             the screen (default bytes)\n"
"  -n, --top N                rows to show or print (default 10)\n"
"  -w, --window DUR|all       rolling window: 10s 5m 1h ... (default 60s;\n"
"                             all with --read)\n"
"Batch:\n"
"  -b, --batch                no terminal UI: print reports on stdout\n"
"  -o, --format FMT           text, json or csv (default text)\n"
"  -t, --interval SECONDS     a report every SECONDS (default 5)\n"
"  -c, --count N              stop after N reports\n"
"      --flows                print decoded flow records instead\n"
"      --burst                also the top N by peak second (who spiked)\n"
"      --alerts               print alert events as JSON lines\n"
"      --at TIME              with --read: the report of the window ending\n"
"                             at TIME (ISO 8601, epoch seconds, or -DUR\n"
"                             before the end of the file)\n"
"Analysis:\n"
"      --channels FILE        channels, profiles, alert settings and\n"
"                             signatures (default:\n"
"                             $XDG_CONFIG_HOME/nftop/channels)\n"
"      --asn FILE             MaxMind-format AS database (.mmdb)\n"
"      --geoip FILE           MaxMind-format country database (.mmdb)\n"
"      --ifnames FILE         interface names: EXPORTER IFINDEX NAME lines\n"
"Other:\n"
"  -k, --keymap NAME|FILE     keymaps/NAME.keys or a file (default: default)\n"
"      --config FILE          settings file (default:\n"
"                             $XDG_CONFIG_HOME/nftop/config)\n"
"      --history N            flow records retained (default 262144)\n"
"      --max-keys N           aggregate keys per view, exact below that\n"
"                             (default 65536)\n"
"      --rcvbuf BYTES         UDP receive buffer to ask for (default 32 MiB)\n"
"      --allow CIDR           accept exports only from these; repeatable\n"
"      --forward ADDR:PORT    re-send every export datagram; repeatable\n"
"      --clickhouse URL       also write every flow record into ClickHouse:\n"
"                             http://HOST:PORT/[?table=T&database=D&...]\n"
"      --clickhouse-buffer N  rows waiting for ClickHouse at most (524288)\n"
"      --from-clickhouse URL  show views computed by ClickHouse over its\n"
"                             rows instead of receiving flows\n"
"  -u, --user NAME            started as root: become NAME once sockets and\n"
"                             captures are open (default nobody)\n"
"  -s, --sampling [-]N        sampling rate for exporters that announce none;\n"
"                             -N forces N for all (as nfcapd -s)\n"
"  -h, --help                 this text\n"
"  -V, --version              print the version\n", f);
}

static long
parse_long(const char *opt, const char *s, long min, long max)
{
	char *end;
	long v;
	double mult = 1;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*end == 'k' || *end == 'K')
		mult = 1e3, end++;
	else if (*end == 'M')
		mult = 1e6, end++;
	if (errno != 0 || end == s || *end != '\0' || v * mult < min ||
	    v * mult > max)
		fatalx("--%s: '%s' is not a number in %ld..%ld", opt, s, min,
		    max);
	return (long)(v * mult);
}

/*
 * The settings file is read before the options, which override it:
 * --config FILE (or --config=FILE) is looked for first, by hand.
 */
static void
load_config(struct config *cfg, int argc, char **argv)
{
	const char *path = NULL;
	char err[512];
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			path = argv[i] + 9;
	}
	if (config_load(cfg, path, path != NULL, err, sizeof(err)) != 0)
		fatalx("%s", err);
}

/* A number from the settings file, with its place in errors. */
static long
config_long(const struct config *cfg, const char *key, long def, long min,
    long max)
{
	const char *v = config_get(cfg, key);
	char *end, where[PATH_MAX + 16];
	long n;

	if (v == NULL)
		return def;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max)
		fatalx("%s: %s: '%s' is not a number in %ld..%ld",
		    config_where(cfg, key, where, sizeof(where)), key, v, min,
		    max);
	return n;
}

/*
 * The engine's order for an order as given: "bps" and "pps" order by
 * rate on the screen (the UI reads engine.order_name), by the volume
 * behind the rate in the engine and in batch reports.
 */
static const char *
order_volume(const char *order)
{
	if (strcasecmp(order, "bps") == 0)
		return "bytes";
	if (strcasecmp(order, "pps") == 0)
		return "packets";
	return order;
}

static void
parse_options(struct options *o, const struct config *cfg, int argc,
    char **argv, char **filter_buf)
{
	const char *v;
	size_t len = 0;
	int ch, i;

	*o = (struct options){ .format = REPORT_TEXT, .interval = 5,
	    .top = 10, .history = DEFAULT_HISTORY, .max_keys = DEFAULT_KEYS,
	    .rcvbuf = DEFAULT_RCVBUF, .aggregate = "srcip",
	    .ch_rows = CH_SINK_DEFAULT_ROWS,
	    .order = "bytes" };
	if ((v = config_get(cfg, "aggregate")) != NULL)
		o->aggregate = v;
	if ((v = config_get(cfg, "order")) != NULL)
		o->order = v;
	o->window = config_get(cfg, "window");
	o->keymap = config_get(cfg, "keymap");
	o->top = config_long(cfg, "top", o->top, 1, 100000);
	o->history = config_long(cfg, "history", o->history, 1, 1L << 32);
	while ((ch = getopt_long(argc, argv, "l:i:r:f:F:A:O:n:w:bo:t:c:Dk:s:u:hV",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (o->nlisten >= LISTEN_MAX)
				fatalx("too many --listen");
			o->listen[o->nlisten++] = optarg;
			break;
		case 'S':
			if (o->nsflow >= LISTEN_MAX)
				fatalx("too many --sflow");
			o->sflow[o->nsflow++] = optarg;
			break;
		case 'i':
			if (o->nifaces >= LISTEN_MAX)
				fatalx("too many --interface");
			o->ifaces[o->nifaces++] = optarg;
			break;
		case 'f':
			o->bpf = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'a':
			if (o->nallow >= LISTEN_MAX * 4)
				fatalx("too many --allow");
			o->allow[o->nallow++] = optarg;
			break;
		case 'T':
			if (o->nforward >= LISTEN_MAX)
				fatalx("too many --forward");
			o->forward[o->nforward++] = optarg;
			break;
		case 'r':
			/* One file: say so rather than read only the last. */
			if (o->read_path != NULL)
				fatalx("--read: one file at a time (%s, then"
				    " %s); mergecap(1) joins pcaps",
				    o->read_path, optarg);
			o->read_path = optarg;
			break;
		case 'F':
			o->filter = optarg;
			break;
		case 'A':
			o->aggregate = optarg;
			break;
		case 'O':
			o->order = optarg;
			break;
		case 'n':
			o->top = parse_long("top", optarg, 1, 100000);
			break;
		case 'w':
			o->window = optarg;
			break;
		case 'b':
			o->batch = 1;
			break;
		case 'o':
			if (report_format_parse(optarg, &o->format) != 0)
				fatalx("--format: '%s' is not text, json or"
				    " csv", optarg);
			break;
		case 't':
			o->interval = parse_long("interval", optarg, 1,
			    86400);
			break;
		case 'c':
			o->count = parse_long("count", optarg, 1, LONG_MAX);
			break;
		case 'R':
			o->flows = 1;
			break;
		case 'D':
			o->demo = 1;
			break;
		case 'k':
			o->keymap = optarg;
			o->keymap_given = 1;
			break;
		case 'C':
			o->config = optarg;
			break;
		case 'H':
			o->history = parse_long("history", optarg, 1,
			    1L << 32);
			break;
		case 'K':
			o->max_keys = parse_long("max-keys", optarg, 1,
			    1L << 30);
			break;
		case 'B':
			o->rcvbuf = parse_long("rcvbuf", optarg, 0, 1L << 30);
			break;
		case 's':
			o->sampling = parse_long("sampling", optarg,
			    -(1L << 31) + 1, (1L << 31) - 1);
			if (o->sampling == 0)
				fatalx("--sampling: 0 is not a rate");
			break;
		case OPT_CLICKHOUSE:
			o->ch_url = optarg;
			break;
		case OPT_FROM_CLICKHOUSE:
			o->ch_from = optarg;
			break;
		case OPT_CLICKHOUSE_BUFFER:
			o->ch_rows = parse_long("clickhouse-buffer", optarg, 1,
			    1L << 30);
			break;
		case OPT_CHANNELS:
			o->an.channels = optarg;
			break;
		case OPT_ALERTS:
			o->an.alerts = 1;
			break;
		case OPT_AT:
			o->at = optarg;
			break;
		case OPT_BURST:
			o->burst = 1;
			break;
		case OPT_GEOIP:
			o->an.geoip = optarg;
			break;
		case OPT_ASN:
			o->an.asn = optarg;
			break;
		case OPT_IFNAMES:
			o->an.ifnames = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("nftop %s\n", NFTOP_VERSION);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	/* Trailing words form the filter, as with nfdump and tcpdump. */
	if (optind < argc) {
		if (o->filter != NULL)
			fatalx("give the filter either with --filter or as"
			    " trailing words, not both");
		for (i = optind; i < argc; i++)
			len += strlen(argv[i]) + 1;
		*filter_buf = xcalloc(1, len);
		for (i = optind, len = 0; i < argc; i++) {
			if (i > optind)
				(*filter_buf)[len++] = ' ';
			memcpy(*filter_buf + len, argv[i], strlen(argv[i]));
			len += strlen(argv[i]);
		}
		o->filter = *filter_buf;
	}
	if (o->ch_from != NULL && (o->nlisten > 0 || o->nsflow > 0 ||
	    o->nifaces > 0 || o->read_path != NULL || o->demo ||
	    o->flows || o->ch_url != NULL))
		fatalx("--from-clickhouse shows what ClickHouse holds: it takes"
		    " no --listen, --sflow, --interface, --read, --demo,"
		    " --flows or --clickhouse");
	/* Listeners in the file count only if the command line names none. */
	if (o->ch_from == NULL && o->nlisten == 0 && o->nsflow == 0 && o->read_path == NULL &&
	    o->nifaces == 0) {
		o->nlisten = (int)config_get_all(cfg, "listen", o->listen,
		    LISTEN_MAX);
		o->nsflow = (int)config_get_all(cfg, "sflow", o->sflow,
		    LISTEN_MAX);
		if (o->nlisten > LISTEN_MAX || o->nsflow > LISTEN_MAX)
			fatalx("%s: too many listeners", cfg->path);
	}
}

static int	stdout_closed;	/* 1: closed at start; 2: said so */

static void
stdout_check(void)
{
	if (stdout_closed != 1)
		return;
	stdout_closed = 2;
	log_warnx("stdout is closed: the reports are lost; still collecting");
	fault_count(FAULT_WRITE);
}

/* A batch report, and the end of the run after --count of them. */
static void
batch_report(struct nftop *nt)
{
	stdout_check();
	report_print(&nt->rc);
	nt->reports++;
	if (nt->o.count > 0 && nt->reports >= nt->o.count)
		event_base_loopexit(nt->e.base, NULL);
}

static void	batch_due(struct nftop *, uint64_t);

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nftop *nt = arg;
	uint64_t now = clock_now_msec();

	(void)fd;
	(void)what;
	(void)clock_check_jump(NULL);
	/* A file's records carry the file's time: its clock stays there. */
	if (nt->o.read_path == NULL)
		store_set_now(nt->e.store, now);
	if (nt->meter != NULL && nt->o.nifaces > 0)
		meter_tick(nt->meter, now);
	tmpl_expire(nt->e.dec.tmpls, &nt->e.dec, nt->e.store->now_msec);
	if (nt->e.alerts != NULL)
		alerts_tick(nt->e.alerts, nt->e.store->now_msec);
	if (nt->ui != NULL)
		ui_tick(nt->ui);
	if (nt->o.batch && nt->o.flows) {
		stdout_check();
		report_check_output(&nt->rc);
	}
	if (nt->e.ch_source != NULL)
		ch_source_tick(nt->e.ch_source);
	batch_due(nt, now);
}

/* A round of ClickHouse answers is in: a report may be due. */
static void
ch_round_cb(void *arg)
{
	struct nftop *nt = arg;

	nt->ch_fresh = 1;
	batch_due(nt, clock_now_msec());
}

/* Batch: a report every --interval (from ClickHouse: with its answers). */
static void
batch_due(struct nftop *nt, uint64_t now)
{
	if (nt->e.ch_source != NULL && !nt->ch_fresh)
		return;
	if (nt->o.batch && !nt->o.flows && now >= nt->next_report_msec) {
		nt->ch_fresh = 0;
		nt->next_report_msec += (uint64_t)(nt->o.interval * 1000);
		if (nt->next_report_msec <= now)
			nt->next_report_msec = now +
			    (uint64_t)(nt->o.interval * 1000);
		batch_report(nt);
	}
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct nftop *nt = arg;

	(void)what;
	if (sig == SIGWINCH) {
		if (nt->ui != NULL)
			ui_resize(nt->ui);
		return;
	}
	/* What was read ahead, and captured flows, end now: their records
	 * count in the last report. */
	collector_drain_all(nt->e.coll);
	if (nt->meter != NULL && nt->o.nifaces > 0)
		meter_flush(nt->meter, clock_now_msec());
	/* Batch: one last report covering what came since the previous
	 * (with a ClickHouse sink, once its backlog went out). */
	nt->signalled = 1;
	if (nt->o.batch && !nt->o.flows && nt->e.ch_sink == NULL)
		report_print(&nt->rc);
	event_base_loopexit(nt->e.base, NULL);
}

/* A damaged --read file: what came before the damage stands; say so. */
static void
read_warn(struct nftop *nt)
{
	const char *e = pcapread_error(nt->e.reader);

	if (e != NULL)
		log_warnx("--read %s: %s (read %" PRIu64 " packets before it)",
		    nt->o.read_path, e, pcapread_stats(nt->e.reader)->packets);
}

/*
 * A file without a packet has no clock of its own: its report is dated
 * when it is made, not 1970.
 */
static void
read_clock_empty(struct nftop *nt)
{
	if (nt->e.store->now_msec == 0)
		store_set_now(nt->e.store, clock_now_msec());
}

static void
reader_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nftop *nt = arg;

	(void)fd;
	(void)what;
	if (pcapread_step(nt->e.reader, READ_STEP)) {
		event_active(nt->reader_ev, EV_TIMEOUT, 0);
		return;
	}
	nt->e.read_done = 1;
	read_clock_empty(nt);
	if (nt->ui != NULL)
		ui_tick(nt->ui);
	else
		read_warn(nt);
}

/* Sink for --flows: print the record if it passes the filter. */
static void
flows_sink(const struct flow_rec *r, void *arg)
{
	struct nftop *nt = arg;
	const struct store *s = nt->e.store;

	/* The ring's copy: enriched with AS numbers and countries. */
	store_add(nt->e.store, r);
	r = store_get(s, s->head - 1);
	if (filter_match(nt->e.view->filter, r))
		report_flow(&nt->rc, r);
}

static void
open_listeners(struct nftop *nt)
{
	struct options *o = &nt->o;
	const char *spec;
	char err[256];
	int i, rc;

	if (o->nlisten == 0 && o->nsflow == 0 && o->read_path == NULL &&
	    o->nifaces == 0) {
		/* With no source named, listen where exporters send by default. */
		/* The defaults of DESIGN.md; a busy port is not fatal. */
		if (collector_listen_udp(nt->e.coll, "2055", 2055, err,
		    sizeof(err)) != 0 && !o->demo)
			log_warnx("UDP 2055: %s", err);
		if (collector_listen_udp(nt->e.coll, "4739", 4739, err,
		    sizeof(err)) != 0)
			log_warnx("UDP 4739: %s", err);
		if (collector_listen_udp(nt->e.coll, "6343", 6343, err,
		    sizeof(err)) != 0)
			log_warnx("UDP 6343: %s", err);
		if (nt->e.coll->n == 0 && !o->demo)
			fatalx("no listener could be opened");
	}
	for (i = 0; i < o->nlisten; i++) {
		spec = o->listen[i];
		if (strncmp(spec, "tcp:", 4) == 0)
			rc = collector_listen_tcp(nt->e.coll, spec + 4, 4739,
			    err, sizeof(err));
		else {
			if (strncmp(spec, "udp:", 4) == 0)
				spec += 4;
			rc = collector_listen_udp(nt->e.coll, spec, 2055, err,
			    sizeof(err));
		}
		if (rc != 0)
			fatalx("--listen %s: %s", o->listen[i], err);
	}
	/* Any listener decodes any protocol: sFlow is told by its version. */
	for (i = 0; i < o->nsflow; i++)
		if (collector_listen_udp(nt->e.coll, o->sflow[i], 6343, err,
		    sizeof(err)) != 0)
			fatalx("--sflow %s: %s", o->sflow[i], err);
}

static void
open_captures(struct nftop *nt)
{
	char err[PCAP_ERRBUF_LEN];
	int i;

	for (i = 0; i < nt->o.nifaces; i++) {
		nt->cap[i] = capture_open(nt->e.base, nt->o.ifaces[i],
		    nt->o.bpf, nt->meter, nt->e.sources, err, sizeof(err));
		if (nt->cap[i] == NULL)
			fatalx("--interface %s: %s", nt->o.ifaces[i], err);
	}
}

/*
 * The demo exporter sends to the first IPv4 listener on a NetFlow port;
 * when there is none (2055 busy), it gets a loopback port of its own.
 */
static void
start_demo(struct nftop *nt)
{
	struct collector *c = nt->e.coll;
	char err[256];
	int i;

	for (i = 0; i < c->n; i++)
		if (c->l[i].name[0] != '[' && c->l[i].port != 6343 &&
		    (strncmp(c->l[i].name, "0.0.0.0:", 8) == 0 ||
		    strncmp(c->l[i].name, "127.", 4) == 0))
			break;
	if (i == c->n) {
		if (collector_listen_udp(c, "127.0.0.1:0", 0, err,
		    sizeof(err)) != 0)
			fatalx("demo listener: %s", err);
		i = c->n - 1;
	}
	nt->e.demo = demo_start(nt->e.base, "127.0.0.1", c->l[i].port,
	    hash_random_key());
}

static void
setup_view(struct nftop *nt)
{
	struct options *o = &nt->o;
	struct key_spec ks;
	struct filter *f;
	enum agg_order order;
	uint64_t window;
	char err[512];

	const struct config *cfg = &nt->cfg;
	char where[PATH_MAX + 16];

	if (key_spec_parse(&ks, o->aggregate, err, sizeof(err)) != 0)
		fatalx("%s: %s", o->aggregate == config_get(cfg, "aggregate") ?
		    config_where(cfg, "aggregate", where, sizeof(where)) :
		    "--aggregate", err);
	if (agg_order_parse(order_volume(o->order), &order) != 0)
		fatalx("%s: '%s' is not bytes, packets, flows, bps or pps",
		    o->order == config_get(cfg, "order") ? config_where(cfg,
		    "order", where, sizeof(where)) : "--order", o->order);
	if (o->window == NULL)
		o->window = o->read_path != NULL ? "all" : "60s";
	if (view_window_parse(o->window, &window) != 0)
		fatalx("%s: bad duration '%s' (want 10s, 5m, 1h, 1d or all)",
		    o->window == config_get(cfg, "window") ? config_where(cfg,
		    "window", where, sizeof(where)) : "--window", o->window);
	if ((f = filter_compile(o->filter != NULL ? o->filter : "any", err,
	    sizeof(err))) == NULL)
		fatalx("filter: %s", err);
	filter_set_sources(f, nt->e.sources);
	nt->e.view = view_create(nt->e.store, f, &ks, order, window,
	    (size_t)o->max_keys);
}

static void
add_signal(struct nftop *nt, int i, int sig)
{
	nt->sig[i] = evsignal_new(nt->e.base, sig, signal_cb, nt);
	if (nt->sig[i] == NULL || event_add(nt->sig[i], NULL) != 0)
		fatalx("cannot watch signal %d", sig);
}

/* The sink's backlog goes out before nftop does, within a time limit. */
static void
ch_flush(struct nftop *nt)
{
	struct ch_sink_stats st;

	if (nt->e.ch_sink == NULL)
		return;
	ch_sink_drain(nt->e.ch_sink, 0, CH_FLUSH_MSEC);
	ch_sink_stats(nt->e.ch_sink, &st);
	if (st.queued > 0 || st.dropped > 0)
		log_warnx("clickhouse: %llu rows not delivered (%llu dropped"
		    " when the buffer was full)%s%s",
		    (unsigned long long)(st.queued + st.dropped),
		    (unsigned long long)st.dropped, st.error[0] ? ": " : "",
		    st.error);
}

/* ClickHouse: the sink taps the store; the source checks filters. */
static void
ch_setup(struct nftop *nt)
{
	char err[512];

	if (nt->o.ch_url != NULL) {
		nt->e.ch_sink = ch_sink_create(nt->e.base, nt->o.ch_url,
		    nt->e.sources, (uint64_t)nt->o.ch_rows, err, sizeof(err));
		if (nt->e.ch_sink == NULL)
			fatalx("--clickhouse: %s", err);
		nt->e.store->tap = ch_sink_add;
		nt->e.store->tap_arg = nt->e.ch_sink;
	}
	if (nt->o.ch_from == NULL)
		return;
	/* Windows end now: the tick moves the clock, but the first round
	 * goes before the first tick. */
	store_set_now(nt->e.store, clock_now_msec());
	if (ch_source_check(NULL, filter_text(nt->e.view->filter), err,
	    sizeof(err)) != 0)
		fatalx("--from-clickhouse: %s", err);
	nt->e.ch_source = ch_source_create(&nt->e, nt->o.ch_from, err,
	    sizeof(err));
	if (nt->e.ch_source == NULL)
		fatalx("--from-clickhouse: %s", err);
	nt->e.filter_check = ch_source_check;
	ch_source_on_round(nt->e.ch_source, ch_round_cb, nt);
	/* The first answers need not wait for the first tick. */
	ch_source_tick(nt->e.ch_source);
}

/*
 * A time outside the records kept is moved to the nearer end of them
 * (engine_set_pin): said, so that the report is not taken for the one
 * asked for.
 */
static void
pin_at_warn(const struct nftop *nt, uint64_t msec)
{
	uint64_t oldest, newest, edge;
	char t[32];

	if (nt->e.store->head == 0) {
		log_warnx("--at %s: the file has no flow records", nt->o.at);
		return;
	}
	engine_history_span(&nt->e, &oldest, &newest);
	if (msec >= oldest && msec <= newest)
		return;
	edge = msec < oldest ? oldest : newest;
	log_warnx("--at %s: %s the %s record kept (%s): the report ends"
	    " there", nt->o.at, msec < oldest ? "before" : "after",
	    msec < oldest ? "oldest" : "newest",
	    clock_fmt_iso(edge, t, sizeof(t)));
}

/*
 * --at: the history cursor for a file's report.  "-DUR" counts back from
 * the end of the file.
 */
static void
pin_at(struct nftop *nt)
{
	uint64_t msec, back;

	if (nt->o.at[0] == '-') {
		if (view_window_parse(nt->o.at + 1, &back) != 0 || back == 0)
			fatalx("--at: bad duration '%s'", nt->o.at);
		msec = nt->e.store->now_msec > back ?
		    nt->e.store->now_msec - back : 1;
	} else if (clock_parse_time(nt->o.at, &msec) != 0 || msec == 0)
		fatalx("--at: '%s' is not a time (2026-11-26T12:00:00Z, epoch"
		    " seconds or -30s)", nt->o.at);
	pin_at_warn(nt, msec);
	engine_set_pin(&nt->e, msec);
}

static void
alert_event(const struct alert *a, enum alert_event ev, void *arg)
{
	(void)arg;
	report_alert(stdout, a, ev == ALERT_FIRED);
}

/* --read --batch: the whole file as fast as it goes, one report, exit. */
static int
run_read_batch(struct nftop *nt)
{
	struct ch_sink *ch = nt->e.ch_sink;

	/* A file can wait for ClickHouse: in small steps, each after the
	 * buffer is down to a quarter. */
	while (pcapread_step(nt->e.reader, ch != NULL ? CH_READ_STEP :
	    READ_STEP))
		if (ch != NULL)
			ch_sink_drain(ch, ch_sink_capacity(ch) / 4,
			    CH_FLUSH_MSEC);
	read_warn(nt);
	read_clock_empty(nt);
	/* Data still waiting for a template at the end never gets one. */
	tmpl_expire(nt->e.dec.tmpls, &nt->e.dec, UINT64_MAX);
	ch_flush(nt);
	if (nt->e.alerts != NULL)
		alerts_flush(nt->e.alerts);
	if (nt->o.at != NULL)
		pin_at(nt);
	stdout_check();
	if (!nt->o.flows)
		report_print(&nt->rc);
	return 0;
}

/*
 * Started with stdin, stdout or stderr closed, the first socket nftop
 * opens would take its number and receive the reports: the gap is filled
 * with /dev/null first.  A closed stdout is a write fault (the reports
 * are lost), counted and said once when the first report is written.
 */
static void
std_fds_open(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			_exit(2);	/* not even stderr to say so */
		if (fd == 1)
			stdout_closed = 1;
	}
}

int
main(int argc, char **argv)
{
	struct nftop nt;
	struct timeval one_sec = { 1, 0 };
	char err[512], *filter_buf = NULL;
	flow_sink_cb sink;
	int live;		/* a collector or a capture: backed up front */

	memset(&nt, 0, sizeof(nt));
	std_fds_open();
	load_config(&nt.cfg, argc, argv);
	parse_options(&nt.o, &nt.cfg, argc, argv, &filter_buf);
	/* --batch draws nothing, but a --keymap it was given is checked, so
	 * that a script catches what the screen would refuse. */
	if (nt.o.batch && nt.o.keymap_given && ui_keymap_check(nt.o.keymap,
	    err, sizeof(err)) != 0)
		fatalx("%s", err);
	nt.e.config = &nt.cfg;
	nt.e.order_name = nt.o.order;
	signal(SIGPIPE, SIG_IGN);
	if ((nt.e.base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	nt.e.start_msec = clock_now_msec();
	nt.e.top = (size_t)nt.o.top;
	nt.e.store = store_create((uint64_t)nt.o.history);
	/*
	 * A live collector backs its whole ring before the first datagram:
	 * faulting it in as it first fills took several times a record's
	 * cost, long enough for the socket to overflow under a burst.
	 */
	live = nt.o.nlisten > 0 || nt.o.nsflow > 0 || nt.o.nifaces > 0;
	if (live)
		store_prefault(nt.e.store);
	nt.e.sources = source_table_create(4096, hash_random_key());
	sink = nt.o.flows ? flows_sink : store_sink;
	decoder_init(&nt.e.dec, nt.e.sources, sink,
	    nt.o.flows ? (void *)&nt : (void *)nt.e.store);
	if (nt.o.sampling != 0) {
		nt.e.dec.sampling = (uint32_t)labs(nt.o.sampling);
		nt.e.dec.sampling_forced = nt.o.sampling < 0;
	}
	setup_view(&nt);
	ch_setup(&nt);
	nt.rc = (struct report_ctx){ .out = stdout, .format = nt.o.format,
	    .top = (size_t)nt.o.top, .view = nt.e.view,
	    .sources = nt.e.sources, .ch_sink = nt.e.ch_sink,
	    .ch_source = nt.e.ch_source };
	nt.e.coll = collector_create(nt.e.base, &nt.e.dec, nt.e.store,
	    (int)nt.o.rcvbuf);
	for (int i = 0; i < nt.o.nallow; i++)
		if (acl_add(&nt.allow, nt.o.allow[i], err, sizeof(err)) != 0)
			fatalx("--allow: %s", err);
	nt.e.dec.allow = &nt.allow;
	for (int i = 0; i < nt.o.nforward; i++)
		if (forward_add(&nt.fwd, nt.o.forward[i], err,
		    sizeof(err)) != 0)
			fatalx("--forward: %s", err);
	nt.e.coll->fwd = &nt.fwd;
	/* Long walks read the sockets ahead (backlog.h). */
	nt.e.store->poll = collector_poll;
	nt.e.store->poll_ctx = nt.e.coll;
	nt.rc.dec = &nt.e.dec;
	nt.rc.coll = nt.e.coll;
	nt.o.an.batch = nt.o.batch;
	if (nt.o.an.alerts)
		nt.o.an.notify = alert_event;
	if (analysis_setup(&nt.e, &nt.o.an, err, sizeof(err)) != 0)
		fatalx("%s", err);
	/* As the ring (store_prefault): backed before the first datagram. */
	if (live) {
		channel_set_prefault(nt.e.channels);
		alerts_prefault(nt.e.alerts);
		/* What walks the history: the screen, every frame, and
		 * burst reports.  Others back it if they ever need it. */
		if (!nt.o.batch || nt.o.burst)
			backlog_prefault(&nt.e.coll->backlog);
	}
	nt.rc.channels = nt.e.channels;
	nt.rc.alerts = nt.e.alerts;
	nt.rc.ifnames = nt.e.ifnames;
	nt.rc.burst = nt.o.burst;
	if (nt.o.read_path != NULL || nt.o.nifaces > 0) {
		/* --flows wants whole flows; views want them as they grow. */
		nt.meter = meter_create(METER_FLOWS, !nt.o.flows,
		    METER_INACTIVE_MSEC, METER_ACTIVE_MSEC, sink,
		    nt.o.flows ? (void *)&nt : (void *)nt.e.store);
		nt.rc.meter = nt.meter;
		meter_count_on(nt.meter, nt.e.sources);
	}
	if (nt.o.read_path != NULL) {
		nt.e.read_path = nt.o.read_path;
		nt.e.reader = pcapread_open(nt.o.read_path, &nt.e.dec,
		    nt.e.store, nt.meter, err, sizeof(err));
		if (nt.e.reader == NULL)
			fatalx("--read %s: %s", nt.o.read_path, err);
		if (nt.o.bpf != NULL && pcapread_set_bpf(nt.e.reader,
		    nt.o.bpf, err, sizeof(err)) != 0)
			fatalx("--bpf %s: %s", nt.o.bpf, err);
		nt.rc.read = pcapread_stats(nt.e.reader);
	}
	if (nt.o.at != NULL && (nt.e.reader == NULL || !nt.o.batch))
		fatalx("--at needs --read and --batch (the screen has its own"
		    " history cursor)");
	if (nt.e.reader != NULL && nt.o.batch && nt.o.nlisten == 0 &&
	    nt.o.nsflow == 0 && nt.o.nifaces == 0) {
		run_read_batch(&nt);
		goto done;
	}
	if (nt.o.ch_from == NULL)
		open_listeners(&nt);
	open_captures(&nt);
	if (nt.o.demo)
		start_demo(&nt);

	add_signal(&nt, 0, SIGINT);
	add_signal(&nt, 1, SIGTERM);
	add_signal(&nt, 2, SIGWINCH);
	add_signal(&nt, 3, SIGHUP);
	nt.tick = event_new(nt.e.base, -1, EV_PERSIST, tick_cb, &nt);
	if (nt.tick == NULL || event_add(nt.tick, &one_sec) != 0)
		fatalx("cannot add the tick timer");
	nt.next_report_msec = nt.e.start_msec +
	    (uint64_t)(nt.o.interval * 1000);
	if (nt.e.reader != NULL) {
		nt.reader_ev = event_new(nt.e.base, -1, 0, reader_cb, &nt);
		event_active(nt.reader_ev, EV_TIMEOUT, 0);
	}
	if (!nt.o.batch) {
		/* Set first: a fatal error inside ui_create restores too. */
		log_set_cleanup(ui_restore_terminal);
		if ((nt.ui = ui_create(&nt.e, nt.o.keymap, err,
		    sizeof(err))) == NULL)
			fatalx("%s", err);
	} else {
		int i;

		for (i = 0; i < nt.e.coll->n; i++)
			fprintf(stderr, "nftop: listening on udp %s"
			    " (receive buffer %d bytes)\n",
			    nt.e.coll->l[i].name, nt.e.coll->l[i].rcvbuf);
		for (i = 0; i < nt.e.coll->ntcp; i++)
			fprintf(stderr, "nftop: listening on tcp %s"
			    " (IPFIX)\n", nt.e.coll->tcp[i].name);
	}

	/* Everything privileged is open: root is not needed any more. */
	if (privdrop(nt.o.user, err, sizeof(err)) != 0)
		fatalx("--user: %s", err);

	event_base_dispatch(nt.e.base);
	if (nt.e.ch_sink != NULL) {
		ch_flush(&nt);
		if (nt.signalled && nt.o.batch && !nt.o.flows)
			report_print(&nt.rc);
	}
done:

	ui_free(nt.ui);
	demo_stop(nt.e.demo);
	if (nt.reader_ev != NULL)
		event_free(nt.reader_ev);
	pcapread_close(nt.e.reader);
	for (int i = 0; i < nt.o.nifaces; i++)
		capture_close(nt.cap[i]);
	meter_free(nt.meter);
	if (nt.tick != NULL)
		event_free(nt.tick);
	for (int i = 0; i < 4; i++)
		if (nt.sig[i] != NULL)
			event_free(nt.sig[i]);
	ch_source_free(nt.e.ch_source);
	ch_sink_free(nt.e.ch_sink);
	collector_free(nt.e.coll);
	forward_close(&nt.fwd);
	analysis_free(&nt.e);
	view_free(nt.e.view);
	decoder_free(&nt.e.dec);
	source_table_free(nt.e.sources);
	store_free(nt.e.store);
	event_base_free(nt.e.base);
	config_free(&nt.cfg);
	free(filter_buf);
	/* Reports that could not be written: the run did not do its job. */
	return fault_get(FAULT_WRITE) > 0 ? 1 : 0;
}
