#!/usr/bin/env python3
"""malformed_cases.py - the malformed-input cases C01-C54 of
shared/research/reliability.md (b) for nftop's decoders: the front door,
NetFlow v5, NetFlow v9 and IPFIX (Python 3, standard library only).

For each case it builds the bad exporter's datagrams, interleaves them with
the traffic of three good exporters (v5, v9 and IPFIX, from other
addresses), and feeds them to nftop one of two ways:

  - pcap: a classic pcap (Ethernet/IPv4/UDP to port 2055; the exporter is
    the IPv4 source, the UDP source port scopes v9/IPFIX templates) read by
    `$NFTOP --batch --read CASE.pcap --format json`;
  - live (UDP): `$NFTOP --batch --listen 127.0.0.1:0 --sflow 127.0.0.1:0`,
    ports from its "listening on udp" lines, the datagrams sent from
    sockets bound to 127.x stand-ins of the exporter addresses, then SIGINT
    for its last report.  Used when the bytes are not export-shaped for a
    file reader (pcapread_is_export: these are metered as traffic there,
    which a second "in a pcap" line checks), or when the case is about the
    socket (the receive buffer, the sFlow port).

and checks, against one --read run of the good traffic alone:

  - the case's named counters, exactly: every counter of a bad source that
    the case does not name must be 0 (so a stray count is a failure);
  - nothing crashes: exit status 0, one JSON report, no sanitizer report on
    stderr, within a time limit;
  - conservation: stats.datagrams == decoded + malformed + unsupported +
    denied, and the outcome deltas are the case's (live: datagrams equals
    what was sent);
  - nothing else lost: every good source entry and every good aggregate
    row (exporter, 5-tuple) equals the baseline's, and the totals equal the
    baseline's plus what the bad exporter legitimately contributed.

A case that shows a known nftop bug carries `todo` and prints TODO_PASS /
TODO_FAIL, which malformed.t turns into TAP "# TODO" lines.

Commands (output: PASS<TAB>desc, FAIL<TAB>desc<TAB>detail,
TODO_FAIL<TAB>desc<TAB>reason<TAB>detail, # diagnostics):
    malformed_cases.py run DIR [CASE-ID...]   run the cases (files in DIR)
    malformed_cases.py count                  how many lines `run` prints
Environment: NFTOP (the binary under test).
"""
import json
import os
import random
import socket
import struct
import subprocess
import sys
import time

NFTOP = os.environ.get("NFTOP", "nftop")
AGG = "exporter,srcip,dstip,srcport,dstport,proto"
T0 = 1700000000                 # export time base (s)
UPTIME0 = 3600000               # sysUptime base (ms)

BAD = "10.99.0.1"               # the bad exporter, unless a case says
BAD2 = "10.99.0.2"
BADPORT = 21055                 # below the ephemeral port range

# Element IDs (RFC 3954 §8 / IANA IPFIX; same numbers below 128).
IN_BYTES, IN_PKTS, PROTO, SPORT, SRC4, DPORT, DST4 = 1, 2, 4, 7, 8, 11, 12
LAST_SW, FIRST_SW, SRC6, DST6, SRCMAC, INIF = 21, 22, 27, 28, 56, 10
SAMPLING, SAMPLER_ID, SAMPLER_INT, IFNAME, SYSTEM = 34, 48, 50, 82, 1
START_MS, END_MS, START_DUS = 152, 153, 158
PKT_INTERVAL, PKT_SPACE = 305, 306
VARLEN = 0xFFFF

COUNTERS_SKIP = {"exporter", "protocol", "domain", "port", "sampling"}


# ------------------------------------------------------------ wire formats

def ip4(s):
    return struct.unpack(">I", socket.inet_aton(s))[0]


def v5_rec(src, dst, pkts, octets, first, last, sport=1000, dport=80,
           proto=6):
    return struct.pack(">IIIHHIIIIHHBBBBHHBBH", ip4(src), ip4(dst), 0, 1, 2,
                       pkts, octets, first & 0xFFFFFFFF, last & 0xFFFFFFFF,
                       sport, dport, 0, 0x10, proto, 0, 0, 0, 24, 24, 0)


def v5(recs, seq, count=None, uptime=UPTIME0, secs=T0, nsecs=0, etype=0,
       eid=0, sampling=0, tail=b""):
    if count is None:
        count = len(recs)
    return struct.pack(">HHIIIIBBH", 5, count, uptime, secs, nsecs, seq,
                       etype, eid, sampling) + b"".join(recs) + tail


def fset(sid, body, pad=0, length=None):
    """A v9 FlowSet / IPFIX Set; pad zero bytes; length overrides."""
    if length is None:
        length = 4 + len(body) + pad
    return struct.pack(">HH", sid, length) + body + b"\0" * pad


def t9(tid, fields, count=None):
    """A v9 template record (or an IPFIX one without enterprise fields)."""
    if count is None:
        count = len(fields)
    return struct.pack(">HH", tid, count) + b"".join(
        struct.pack(">HH", t, n) for t, n in fields)


def ot9(tid, scope, opts, scope_len=None, opt_len=None):
    """A v9 options template record: lengths in bytes (§6.1)."""
    if scope_len is None:
        scope_len = 4 * len(scope)
    if opt_len is None:
        opt_len = 4 * len(opts)
    return struct.pack(">HHH", tid, scope_len, opt_len) + b"".join(
        struct.pack(">HH", t, n) for t, n in scope + opts)


def tx(tid, fields, count=None):
    """An IPFIX template record; a field is (id, len) or (id, len, pen)."""
    if count is None:
        count = len(fields)
    b = struct.pack(">HH", tid, count)
    for f in fields:
        if len(f) == 3:
            b += struct.pack(">HHI", f[0] | 0x8000, f[1], f[2])
        else:
            b += struct.pack(">HH", f[0], f[1])
    return b


def otx(tid, scope, opts, scope_count=None):
    if scope_count is None:
        scope_count = len(scope)
    return struct.pack(">HHH", tid, len(scope) + len(opts),
                       scope_count) + b"".join(
        struct.pack(">HH", t, n) for t, n in scope + opts)


def uint(v, n):
    return v.to_bytes(n, "big")


def varlen(b):
    if len(b) < 255:
        return bytes([len(b)]) + b
    return b"\xff" + struct.pack(">H", len(b)) + b


def v9(sets, seq, sid, uptime=UPTIME0, secs=T0, count=0):
    return struct.pack(">HHIIII", 9, count, uptime, secs, seq, sid) + \
        b"".join(sets)


def ipfix(sets, seq, odid, export=T0, length=None, tail=b""):
    body = b"".join(sets)
    if length is None:
        length = 16 + len(body)
    return struct.pack(">HHIII", 10, length, export, seq, odid) + body + tail


# The data template every well-behaved exporter here uses: 21 bytes.
TF = [(SRC4, 4), (DST4, 4), (SPORT, 2), (DPORT, 2), (PROTO, 1),
      (IN_PKTS, 4), (IN_BYTES, 4)]


def trec(src, dst, pkts, octets, sport=1000, dport=443, proto=6):
    return struct.pack(">IIHHBII", ip4(src), ip4(dst), sport, dport, proto,
                       pkts, octets)


class Tally:
    """What a list of records adds to the totals: flows, packets, bytes."""

    def __init__(self):
        self.flows = self.pkts = self.bytes = 0

    def add(self, pkts, octets, n=1):
        self.flows += n
        self.pkts += pkts * n
        self.bytes += octets * n

    def t(self):
        return (self.flows, self.pkts, self.bytes)


def recs(tally, base, n, pkts=3, octets=1500, count=True, v5fmt=False,
         uptime=UPTIME0):
    """n distinct records from base.x; counted in tally when `count`."""
    out = []
    for i in range(n):
        if base.count(".") == 1:        # a /16 base: many records
            src = "%s.%d.%d" % (base, i // 250, i % 250 + 1)
        else:
            src = "%s.%d" % (base, i + 1)
        if v5fmt:
            out.append(v5_rec(src, "198.51.100.1", pkts, octets,
                              uptime - 5000, uptime - 1000, 2000 + i))
        else:
            out.append(trec(src, "198.51.100.1", pkts, octets, 2000 + i))
        if count:
            tally.add(pkts, octets)
    return out


# ------------------------------------------------------------ pcap

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(">%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(src, sport, payload, dst="192.0.2.1", dport=2055):
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    hdr = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64,
                      17, 0, socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack(">H", csum(hdr)) + hdr[12:]
    return b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00" + hdr + udp


def write_pcap(path, pkts):
    """pkts: (src, sport, payload) in order, 1 ms apart."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for i, (src, sport, pl) in enumerate(pkts):
            fr = frame(src, sport, pl)
            ts = T0 * 1000000 + 1000000 + i * 1000
            f.write(struct.pack("<IIII", ts // 1000000, ts % 1000000,
                                len(fr), len(fr)))
            f.write(fr)


# ------------------------------------------------------------ good traffic

G5 = ("10.0.0.5", 9995)
G9 = ("10.0.0.9", 9999)
GX = ("10.0.0.10", 4739)
GOOD_IPS = {G5[0], G9[0], GX[0]}


def good_traffic():
    """Three good exporters, six datagrams each, interleaved."""
    t = Tally()
    s5, s9, sx = [], [], []
    for i in range(6):
        up = UPTIME0 + i * 1000
        s5.append(v5(recs(t, "192.168.%d" % (50 + i), 4, 2, 800 + i,
                          v5fmt=True, uptime=up), 1000 + 4 * i, uptime=up,
                     secs=T0 + i))
        sets = [fset(0, t9(256, TF))] if i == 0 else []
        sets.append(fset(256, b"".join(recs(t, "192.168.%d" % (90 + i), 3, 5,
                                            3000 + i))))
        s9.append(v9(sets, 100 + i, 7, uptime=up, secs=T0 + i))
        sets = [fset(2, tx(256, TF))] if i == 0 else []
        sets.append(fset(256, b"".join(recs(t, "192.168.%d" % (100 + i), 3, 7,
                                            4000 + i))))
        sx.append(ipfix(sets, 3 * i, 3, export=T0 + i))
    out = []
    for a, b, c in zip(s5, s9, sx):
        out += [G5 + (a,), G9 + (b,), GX + (c,)]
    return out, t


def interleave(good, bad):
    """The first datagram of each good exporter, then bad spread over the
    remaining good ones, keeping each list's order."""
    head, rest = good[:3], good[3:]
    if not bad:
        return good
    out = list(head)
    slots = [[] for _ in rest]
    for i, b in enumerate(bad):
        slots[i * len(rest) // len(bad)].append(b)
    for g, bs in zip(rest, slots):
        out += bs
        out.append(g)
    return out


# ------------------------------------------------------------ running nftop

class Run:
    def __init__(self, report, flows, secs, stderr):
        self.r, self.flows = report, flows
        self.secs, self.stderr = secs, stderr


SAN_MARKS = ("AddressSanitizer", "UndefinedBehaviorSanitizer",
             "LeakSanitizer", "runtime error:", "Segmentation fault")
RUN_TIMEOUT = 20        # seconds for one nftop run: more is a hang


def parse_out(out, err, rc, flows, fmt, secs):
    if rc != 0:
        raise RuntimeError("exit status %d: %s" % (rc, err[-2000:]))
    for m in SAN_MARKS:
        if m in err:
            raise RuntimeError("sanitizer: %s" % err[-3000:])
    lines = [l for l in out.splitlines() if l.strip()]
    if flows and fmt != "json":
        return Run(None, lines, secs, err)
    if flows:
        return Run(None, [json.loads(l) for l in lines], secs, err)
    if len(lines) != 1:
        raise RuntimeError("%d report lines, want 1" % len(lines))
    return Run(json.loads(lines[0]), None, secs, err)


def view_args(flows, fmt):
    a = ["--format", fmt]
    if flows:
        a.append("--flows")
    else:
        a += ["-A", AGG, "-n", "100000"]
    return a


def nftop(pcap, flows=False, fmt="json", args=()):
    argv = [NFTOP, "--batch", "--read", pcap] + view_args(flows, fmt) + \
        list(args)
    t = time.monotonic()
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=RUN_TIMEOUT)
    return parse_out(p.stdout.decode("utf-8", "replace"),
                     p.stderr.decode("utf-8", "replace"), p.returncode,
                     flows, fmt, time.monotonic() - t)


def live_ip(ip):
    """The loopback address standing in for a pcap exporter address."""
    return "127." + ip.split(".", 1)[1]


def rx_queued(ports):
    """Bytes waiting in the receive queues of nftop's UDP sockets."""
    total = 0
    try:
        with open("/proc/net/udp") as f:
            for line in f.readlines()[1:]:
                col = line.split()
                if int(col[1].split(":")[1], 16) in ports:
                    total += int(col[4].split(":")[1], 16)
    except OSError:
        return 0
    return total


def nftop_live(pkts, flows=False, fmt="json", args=()):
    """Starts `nftop --batch --listen 127.0.0.1:0 --sflow 127.0.0.1:0`,
    sends pkts (ip, port, payload[, to_sflow]) from sockets bound to
    live_ip(ip):port, then SIGINT: the report it prints on the way out."""
    argv = [NFTOP, "--batch", "--listen", "127.0.0.1:0", "--sflow",
            "127.0.0.1:0", "--interval", "3600", "--window", "all"] + \
        view_args(flows, fmt) + list(args)
    t = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    socks, portmap = {}, {}
    try:
        ports, err = [], b""
        deadline = time.monotonic() + 10
        while len(ports) < 2:
            if time.monotonic() > deadline or p.poll() is not None:
                raise RuntimeError("no 'listening on udp' lines: %r" % err)
            line = p.stderr.readline()
            err += line
            if b"listening on udp 127.0.0.1:" in line:
                ports.append(int(line.split(b"127.0.0.1:")[1].split()[0]))
        for pk in pkts:
            ip, port, pl = pk[:3]
            key = (live_ip(ip), port)
            if key not in socks:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
                # the good exporters' ports are the kernel's choice (a
                # fixed one may be taken), mapped back below
                s.bind((key[0], 0) if ip in GOOD_IPS else key)
                portmap[(key[0], s.getsockname()[1])] = port
                socks[key] = s
            socks[key].sendto(pl, ("127.0.0.1",
                                   ports[1] if len(pk) > 3 and pk[3] else
                                   ports[0]))
            time.sleep(0.0005 if len(pl) < 2000 else 0.005)
        # Once the queues are empty every datagram has been read, and the
        # loop decodes a batch before it looks at the signal.
        deadline = time.monotonic() + 10
        time.sleep(0.02)
        while rx_queued(ports) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)
        p.send_signal(2)                # SIGINT: one last report, exit
        out, e2 = p.communicate(timeout=RUN_TIMEOUT)
        err += e2
    finally:
        for s in socks.values():
            s.close()
        if p.poll() is None:
            p.kill()
            p.wait()
    run = parse_out(out.decode("utf-8", "replace"),
                    err.decode("utf-8", "replace"), p.returncode, flows,
                    fmt, time.monotonic() - t)
    for src_ in run.r["sources"] if run.r else ():
        src_["port"] = portmap.get((src_["exporter"], src_["port"]),
                                   src_["port"])
    return run


def skey(s):
    return (s["exporter"], s["port"], s["protocol"], s["domain"])


def flat(s):
    d = {}
    for k, v in s.items():
        if k in COUNTERS_SKIP:
            continue
        if isinstance(v, dict):
            for k2, v2 in v.items():
                d["%s.%s" % (k, k2)] = v2
        else:
            d[k] = v
    return d


def tkey(t):
    return json.dumps(t["key"], sort_keys=True)


def trow(t):
    """An aggregate row without its rates (they depend on the run's span)."""
    return (t["flows"], t["packets"], t["bytes"])


EXPORT_PORTS = {2055, 2056, 2057, 4739, 6343, 9555, 9991, 9992, 9995, 9996}


def is_export(pl, dport=2055):
    """pcapread_is_export(): what a --read file hands to the decoders.  The
    frames here go to port 2055, where a known version is enough."""
    if len(pl) < 2:
        return False
    v = struct.unpack(">H", pl[:2])[0]
    if dport in EXPORT_PORTS:
        return v in (1, 5, 7, 9, 10) or (v == 0 and pl[2:4] == b"\0\5")
    if len(pl) < 4:
        return False
    n = struct.unpack(">H", pl[2:4])[0]
    if v == 0:
        return n == 5 and len(pl) >= 8 and pl[4:7] == b"\0\0\0" and \
            pl[7] in (1, 2)
    if v == 1:
        return 1 <= n <= 24 and len(pl) >= 16 + n * 48
    if v == 5:
        return n <= 30 and len(pl) >= 24 + n * 48
    if v == 7:
        return 1 <= n <= 28 and len(pl) >= 24 + n * 52
    if v == 9:
        return len(pl) >= 20
    if v == 10:
        return 16 <= n <= len(pl) and (n == len(pl) or (
            pl[n] == 0 and (len(pl) - n == 1 or pl[n + 1] in (0, 10))))
    return False


# ------------------------------------------------------------ the cases

class Case:
    """One case: the bad datagrams and what must come of them.

    stats:   outcome deltas against the baseline (missing = 0)
    sources: {(ip, port, protocol, domain): {counter: value}} for every
             source entry the bad input creates; counters not named must
             be 0 ("datagrams" is always named)
    delta:   Tally of what the bad exporter adds to the totals
    check:   fn(run, fail) for more checks; flows: fn(records, fail);
             text: fn(lines of --flows text, fail)
    mode:    "pcap" (--read) or "live" (UDP); by default "pcap" when every
             bad datagram looks like an export to --read (is_export())
    args:    more nftop options; metered: packets --read must meter
    totals:  False: skip the totals check (counters past 2^64)
    todo:    a known nftop bug or gap: reported as TAP TODO
    """

    def __init__(self, cid, title, bad, stats=..., sources=...,
                 delta=None, check=None, flows=None, bad_ips=None,
                 text=None, mode=None, args=(), metered=None, twin=True,
                 totals=True, todo=None):
        self.cid, self.title, self.bad = cid, title, bad
        self.stats = {} if stats is ... else stats
        self.sources = {} if sources is ... else sources
        self.delta = delta or Tally()
        self.check, self.flows, self.text = check, flows, text
        self.mode, self.args, self.metered = mode, list(args), metered
        self.twin, self.sent = twin, 0
        self.totals, self.todo = totals, todo
        self.bad_ips = bad_ips or {BAD, BAD2}


def src(ip=BAD, port=BADPORT, proto="netflow-v9", domain=0):
    return (ip, port, proto, domain)


def B(payloads, ip=BAD, port=BADPORT):
    return [(ip, port, p) for p in payloads]


CASES = []


def case(fn):
    CASES.append(fn)
    return fn


# -- front door -------------------------------------------------------------
# A pcap keeps only payloads that start with a NetFlow/IPFIX version
# (pcapread_is_export); others are not export datagrams and reach no
# decoder.  The live run (live-send) feeds the same datagrams to a socket.

@case
def c01():
    # No version to read: nftop counts it `unsupported` (on a source of
    # protocol "unknown"), not malformed{short}.
    return Case("C01", "0-byte datagram: unsupported{1} (no version word),"
                " no crash", B([b""]), stats={"unsupported": 1},
                sources={src(proto="unknown"): {"datagrams": 1}})


@case
def c02():
    return Case("C02", "1-byte datagram: unsupported; 2-3 bytes of v5/v9/"
                "IPFIX: malformed{short_header} x3",
                B([b"\x05", b"\x00\x05", b"\x00\x0a\x00", b"\x00\x09\x00"]),
                stats={"unsupported": 1, "malformed": 3},
                sources={src(proto="unknown"): {"datagrams": 1},
                         src(proto="netflow-v5"): {
                             "datagrams": 1, "malformed": 1,
                             "malformed_by.short_header": 1},
                         src(proto="netflow-v9"): {
                             "datagrams": 1, "malformed": 1,
                             "malformed_by.short_header": 1},
                         src(proto="ipfix"): {
                             "datagrams": 1, "malformed": 1,
                             "malformed_by.short_header": 1}})


FRONT_VERSIONS = [0x0000, 0x0006, 0x0008, 0x000B, 0xFFFF]


@case
def c03():
    # nftop keeps one "unknown" source per (exporter, port, version)
    return Case("C03", "unknown versions 0,6,8,11,0xffff: unsupported{5};"
                " nothing decoded (a source entry per version is made)",
                B([struct.pack(">H", v) + b"\0" * 22 for v in FRONT_VERSIONS]),
                stats={"unsupported": 5},
                sources={src(proto="unknown", domain=v): {"datagrams": 1}
                         for v in FRONT_VERSIONS})


@case
def c04():
    allow = Case("C04", "exporter outside --allow 10.0.0.0/24: denied{3}"
                 " (denied_allow), no source entry, nothing parsed",
                 B([v5(recs(Tally(), "172.16.4", 2, v5fmt=True), 0),
                    v9([tset9(t9(256, TF))], 0, 1),
                    xok(Tally(), "172.16.4", 1, 0)]),
                 stats={"denied": 3, "denied_allow": 3}, sources={},
                 args=["--allow", "10.0.0.0/24"])

    # Without --allow, `denied` is the bounded source table (4096 entries)
    # refusing new sources; the good exporters are known before it fills.
    n = 4100
    bad = [("10.99.%d.%d" % (i // 250, i % 250 + 1), BADPORT, v5([], 1))
           for i in range(n)]

    def check(run, fail):
        r = run.r
        if len(r["sources"]) != 4096:
            fail("sources: %d, want 4096 (table full)" % len(r["sources"]))
        made = [s for s in r["sources"] if s["exporter"].startswith("10.99.")]
        room = 4096 - (len(r["sources"]) - len(made))
        if len(made) != room or any(s["datagrams"] != 1 or s["records"]
                                    for s in made):
            fail("bad sources: %d, want %d with 1 datagram each" %
                 (len(made), room))
        st = r["stats"]
        if st["denied"] != n - room or st["decoded"] != 18 + room:
            fail("denied %d decoded %d, want %d and %d" % (
                st["denied"], st["decoded"], n - room, 18 + room))
    full = Case("C04", "4100 new exporters vs the 4096-entry source table:"
                " the rest denied, table bounded, known exporters intact",
                bad, stats=None, check=check, sources=None,
                bad_ips={b[0] for b in bad})
    return [allow, full]


def rnd(seed, n):
    return random.Random(seed).randbytes(n)


def walk_sets(body, tmpl_ids, zero_tail_ok):
    """The set-header walk of pass 1; 'set_length' if it breaks before any
    set whose ID is in tmpl_ids, 'tmpl' if such a set comes first, None if
    the walk completes."""
    off = 0
    while off < len(body):
        if zero_tail_ok and not any(body[off:]):
            return None
        if len(body) - off < 4:
            return "set_length"
        sid, slen = struct.unpack(">HH", body[off:off + 4])
        if slen < 4 or slen - 4 > len(body) - off - 4:
            return "set_length"
        if sid in tmpl_ids:
            return "tmpl"
        off += slen
    return None


def random_export(version, size, seed=1, cut=None):
    """A size-byte random datagram with the version word forced, chosen so
    that the decoder's outcome is known: v5 count > 30; v9 and IPFIX sets
    that break (set_length) before any template set, at full size and
    when cut to `cut` bytes."""
    while True:
        b = bytearray(rnd(seed, size))
        b[0:2] = struct.pack(">H", version)
        if version == 5:
            if struct.unpack(">H", b[2:4])[0] > 30:
                return bytes(b)
        elif version == 9:
            if all(walk_sets(bytes(b[20:n]), (0, 1), True) == "set_length"
                   for n in (size, cut or size)):
                return bytes(b)
        elif version == 10:
            b[2:4] = struct.pack(">H", size)
            if walk_sets(bytes(b[16:]), (2, 3), False) == "set_length":
                return bytes(b)
        else:
            return bytes(b)
        seed += 1


BIG = 65507


@case
def c05():
    # nftop's receive buffers hold the largest UDP payload: a 65507-byte
    # datagram arrives whole, as from a pcap.
    live = Case("C05", "65507-byte random datagrams over UDP, read whole:"
                " v5 malformed{count_too_large}, v9 malformed{set_length},"
                " IPFIX malformed{set_length}, random version unsupported", B([random_export(5, BIG),
                                           random_export(9, BIG, cut=16384),
                                           random_export(10, BIG),
                                           random_export(0x4242, BIG)]),
                stats={"malformed": 3, "unsupported": 1},
                sources={
                    src(proto="netflow-v5", domain=None): {
                        "datagrams": 1, "malformed": 1,
                        "malformed_by.count_too_large": 1},
                    src(proto="netflow-v9", domain=None): {
                        "datagrams": 1, "malformed": 1,
                        "malformed_by.set_length": 1},
                    src(proto="ipfix", domain=None): {
                        "datagrams": 1, "malformed": 1,
                        "malformed_by.set_length": 1},
                    src(proto="unknown", domain=0x4242): {"datagrams": 1}},
                mode="live", twin=False)
    whole = Case("C05", "65507-byte random v5/v9/IPFIX datagrams read whole"
                 " from a pcap: malformed{count_too_large,set_length,"
                 "set_length}, no over-read",
                 B([random_export(5, BIG), random_export(9, BIG, cut=16384),
                    random_export(10, BIG)]),
                 stats={"malformed": 3},
                 sources={
                     src(proto="netflow-v5", domain=None): {
                         "datagrams": 1, "malformed": 1,
                         "malformed_by.count_too_large": 1},
                     src(proto="netflow-v9", domain=None): {
                         "datagrams": 1, "malformed": 1,
                         "malformed_by.set_length": 1},
                     src(proto="ipfix", domain=None): {
                         "datagrams": 1, "malformed": 1,
                         "malformed_by.set_length": 1}})
    # A valid 18488-byte v9 datagram whose first set ends at byte 16384: a
    # receive buffer of 16 KiB would cut it there and lose the rest
    # without a trace; nftop's buffers take the largest UDP payload.
    t = Tally()
    first = fset(256, b"".join(recs(t, "172.20", 779)), pad=1)
    second = fset(256, b"".join(recs(t, "172.21", 100)))
    big = v9([first, second], 1, 1)
    assert len(big) == 18488 and len(v9([first], 1, 1)) == 16384
    cut = Case("C05", "valid 18488-byte v9 datagram over UDP (a set"
               " boundary at 16 KiB): all 879 records", B([v9([tset9(t9(256, TF))], 0, 1), big]),
               stats={"decoded": 2},
               sources={v9src(): {"datagrams": 2, "records": 879,
                                  "templates": 1}}, delta=t, mode="live",
               twin=False)
    return [live, whole, cut]


SFLOW_HDR = struct.pack(">IIIIII", 5, 1, ip4("10.99.0.1"), 0, 1, 1000)


def sflow_dgram():
    """A valid sFlow v5 datagram with no samples (agent IPv4)."""
    return SFLOW_HDR + struct.pack(">I", 0)


@case
def c06():
    # nftop has no per-port policy: every port auto-detects by version.
    # An sFlow datagram's first 16 bits are 0, never a NetFlow version.
    bad = [(BAD, BADPORT, sflow_dgram(), False),
           (BAD, BADPORT + 1, xok(Tally(), "172.16.6", 2, 0), True)]
    t = Tally()
    t.add(3, 1500, 2)
    return Case("C06", "sFlow to the NetFlow port: decoded as sFlow, never"
                " as NetFlow; IPFIX to the sFlow port: auto-detected, 2"
                " records", bad, stats={"decoded": 2},
                sources={src(port=0, proto="sflow-v5", domain=0): {
                    "datagrams": 1},
                         src(port=BADPORT + 1, proto="ipfix", domain=1): {
                             "datagrams": 1, "records": 2, "templates": 1}},
                delta=t, mode="live")


# -- NetFlow v5 ---------------------------------------------------------------

def v5src(domain=0, **kw):
    return src(proto="netflow-v5", domain=domain)


@case
def c07():
    t = Tally()
    a = v5(recs(t, "172.16.7", 2, v5fmt=True), 100)
    z = v5([], 110)                         # a gap of 8 flows, then empty
    c = v5(recs(t, "172.16.8", 1, v5fmt=True), 110)
    return Case("C07", "v5 count=0 header only: decoded, 0 records, its"
                " sequence counted (lost 8 before it, 0 after)",
                B([a, z, c]), stats={"decoded": 3},
                sources={v5src(): {"datagrams": 3, "records": 3,
                                   "lost": 8}}, delta=t)


@case
def c08():
    t = Tally()
    ok1 = v5(recs(t, "172.16.1", 2, v5fmt=True), 0)
    short = v5(recs(Tally(), "172.16.2", 29, v5fmt=True), 2, count=30)
    ok2 = v5(recs(t, "172.16.3", 1, v5fmt=True), 2)
    return Case("C08", "v5 count=30 with 29 records: malformed{short_records},"
                " none of its records kept", B([ok1, short, ok2]),
                stats={"decoded": 2, "malformed": 1},
                sources={v5src(): {"datagrams": 3, "records": 3,
                                   "malformed": 1,
                                   "malformed_by.short_records": 1}},
                delta=t)


@case
def c09():
    d31 = v5(recs(Tally(), "172.16.1", 31, v5fmt=True), 0)
    d64k = v5(recs(Tally(), "172.16.1", 30, v5fmt=True), 0, count=65535)
    return Case("C09", "v5 count=31 (length consistent) and 65535:"
                " malformed{count_too_large} x2", B([d31, d64k]),
                stats={"malformed": 2},
                sources={v5src(): {"datagrams": 2, "malformed": 2,
                                   "malformed_by.count_too_large": 2}})


@case
def c10():
    t = Tally()
    a = v5(recs(t, "172.16.1", 2, v5fmt=True), 0, tail=b"\x01")
    b = v5(recs(t, "172.16.2", 2, v5fmt=True), 2, tail=b"\xee" * 47)
    return Case("C10", "v5 with 1 and 47 trailing bytes: decoded, records"
                " kept, trailing{2}", B([a, b]), stats={"decoded": 2},
                sources={v5src(): {"datagrams": 2, "records": 4,
                                   "trailing": 2}}, delta=t)


def times_of(records, src_prefix):
    return [(r["first"], r["last"]) for r in records
            if r["srcip"].startswith(src_prefix)]


@case
def c11():
    t = Tally()
    ex = T0 * 1000
    # uptime wrapped 1000 ms ago: First before the wrap, Last after it
    r1 = v5_rec("172.16.11.1", "198.51.100.1", 1, 100, 0xFFFFFF00, 500)
    # Juniper: Last 2 s after sysUptime, First 5 s before
    r2 = v5_rec("172.16.11.2", "198.51.100.1", 1, 100, 50000 - 5000, 52000)
    t.add(1, 100, 2)
    a = v5([r1], 0, uptime=1000, secs=T0)
    b = v5([r2], 1, uptime=50000, secs=T0)
    want = {"172.16.11.1": (ex - 1256, ex - 500),
            "172.16.11.2": (ex - 5000, ex + 2000)}

    def flows(recs_, fail):
        for ip, w in want.items():
            got = times_of(recs_, ip)
            if got != [w]:
                fail("%s first/last %r, want %r" % (ip, got, [w]))
    return Case("C11", "v5 First>Last across an uptime wrap, Last>SysUptime:"
                " signed 32-bit ages, start<=end", B([a, b]),
                stats={"decoded": 2},
                sources={v5src(): {"datagrams": 2, "records": 2}}, delta=t,
                flows=flows)


@case
def c12():
    t = Tally()
    ex = T0 * 1000
    r1 = v5_rec("172.16.12.1", "198.51.100.1", 1, 100, 0xFFFFFFFF,
                0xFFFFFFFF)
    # a stamp 2^31-1 ms (24.8 days) before sysUptime: the farthest back
    r2 = v5_rec("172.16.12.2", "198.51.100.1", 1, 100, 0x80000001,
                0x80000001)
    t.add(1, 100, 2)
    a = v5([r1], 0, uptime=0, secs=T0)
    b = v5([r2], 1, uptime=0, secs=T0)
    want = {"172.16.12.1": (ex - 1, ex - 1),
            "172.16.12.2": (ex - 0x7FFFFFFF, ex - 0x7FFFFFFF)}

    def flows(recs_, fail):
        for ip, w in want.items():
            got = times_of(recs_, ip)
            if got != [w]:
                fail("%s first/last %r, want %r" % (ip, got, [w]))
    return Case("C12", "v5 SysUptime=0, First=Last=0xffffffff: 1 ms before"
                " export; farthest stamp within 24.9 days; no underflow",
                B([a, b]), stats={"decoded": 2},
                sources={v5src(): {"datagrams": 2, "records": 2}}, delta=t,
                flows=flows)


@case
def c13():
    t = Tally()
    r = v5_rec("172.16.13.1", "198.51.100.1", 0xFFFFFFFF, 0xFFFFFFFF, 1, 2)
    a = v5([r], 0, eid=1, sampling=0x4000)       # mode 1, interval 0
    b = v5([r], 0, eid=2, sampling=0x7FFF)       # mode 1, interval 16383
    t.add(0xFFFFFFFF, 0xFFFFFFFF)
    t.add(0xFFFFFFFF * 16383, 0xFFFFFFFF * 16383)

    def check(run, fail):
        for s in run.r["sources"]:
            if s["exporter"] == BAD:
                want = 1 if s["domain"] == 1 else 16383
                if s["sampling"] != want:
                    fail("domain %d sampling %d, want %d" %
                         (s["domain"], s["sampling"], want))
    return Case("C13", "v5 sampling mode 1 interval 0 -> x1; interval 16383"
                " x 0xffffffff packets/bytes in 64 bits",
                B([a, b]), stats={"decoded": 2},
                sources={v5src(1): {"datagrams": 1, "records": 1},
                         v5src(2): {"datagrams": 1, "records": 1}},
                delta=t, check=check)


@case
def c14():
    t = Tally()
    seqs = [(1000, 10), (1015, 5), (1015, 5), (1020, 5), (1000, 10),
            (0xFFFFFFF0, 16), (0, 16), (0x10, 1)]
    d = [v5(recs(t, "172.%d.14" % (16 + i), n, v5fmt=True), s)
         for i, (s, n) in enumerate(seqs)]
    return Case("C14", "v5 sequence gap/duplicate/backwards/wrap: lost{5}"
                " exact, seq_resets{3}, wrap no gap, all records counted",
                B(d), stats={"decoded": 8},
                sources={v5src(): {"datagrams": 8, "records": 68, "lost": 5,
                                   "seq_resets": 3}}, delta=t)


@case
def c15():
    t = Tally()
    r1 = v5_rec("172.16.15.1", "198.51.100.1", 0, 5000, 1, 2)
    r2 = v5_rec("172.16.15.2", "198.51.100.1", 1, 200000, 1, 2)
    t.add(0, 5000)
    t.add(1, 200000)
    return Case("C15", "v5 dPkts=0 with dOctets>0; dOctets>dPkts*65535:"
                " accepted, implausible{2}", B([v5([r1, r2], 0)]),
                stats={"decoded": 1},
                sources={v5src(): {"datagrams": 1, "records": 2,
                                   "implausible": 2}}, delta=t)


# -- NetFlow v9 ---------------------------------------------------------------

def v9src(domain=1, port=BADPORT, ip=BAD):
    return src(ip, port, "netflow-v9", domain)


def tset9(*tmpls):
    return fset(0, b"".join(tmpls))


@case
def c16():
    return Case("C16", "v9 header only (20 B): decoded, 0 records",
                B([v9([], 0, 1), v9([], 1, 1)]), stats={"decoded": 2},
                sources={v9src(): {"datagrams": 2}})


@case
def c17():
    t = Tally()
    m1 = v9([tset9(t9(256, TF)), fset(256, b"".join(recs(t, "172.16.17",
                                                        2)))], 0, 1)
    bad = v9([tset9(t9(257, TF)),
              fset(256, b"".join(recs(Tally(), "172.16.18", 2))),
              fset(256, b"", length=0),
              fset(256, b"".join(recs(Tally(), "172.16.19", 2)))], 1, 1)
    m3 = v9([fset(256, b"".join(recs(t, "172.16.20", 3))),
             fset(257, b"".join(recs(Tally(), "172.16.21", 1)))], 2, 1)
    return Case("C17", "v9 zero-length flowset mid-datagram:"
                " malformed{set_length}, atomic (its template 257 not"
                " installed, its records not decoded), loop ends",
                B([m1, bad, m3]), stats={"decoded": 2, "malformed": 1},
                sources={v9src(): {"datagrams": 3, "records": 5,
                                   "malformed": 1,
                                   "malformed_by.set_length": 1,
                                   "templates": 1, "waiting": 1,
                                   "waiting_expired": 1, "lost": 1}},
                delta=t)


@case
def c18():
    t = Tally()
    m1 = v9([tset9(t9(256, TF)), fset(256, b"".join(recs(t, "172.16.18",
                                                        1)))], 0, 1)
    bad = [v9([fset(256, b"".join(recs(Tally(), "172.16.99", 1))),
               fset(256, b"\0" * 8, length=n)], 1, 1) for n in (1, 2, 3)]
    m2 = v9([fset(256, b"".join(recs(t, "172.16.19", 1)))], 1, 1)
    return Case("C18", "v9 flowset length 1, 2, 3: malformed{set_length} x3,"
                " atomic", B([m1] + bad + [m2]),
                stats={"decoded": 2, "malformed": 3},
                sources={v9src(): {"datagrams": 5, "records": 2,
                                   "malformed": 3, "templates": 1,
                                   "malformed_by.set_length": 3}}, delta=t)


@case
def c19():
    t = Tally()
    m1 = v9([tset9(t9(256, TF)), fset(256, b"".join(recs(t, "172.16.19",
                                                        1)))], 0, 1)
    body = b"".join(recs(Tally(), "172.16.99", 2))
    bad = v9([fset(256, body), fset(256, body, length=len(body) + 5)], 1, 1)
    m2 = v9([fset(256, b"".join(recs(t, "172.16.20", 1)))], 1, 1)
    return Case("C19", "v9 flowset length > bytes remaining:"
                " malformed{set_length}, atomic", B([m1, bad, m2]),
                stats={"decoded": 2, "malformed": 1},
                sources={v9src(): {"datagrams": 3, "records": 2,
                                   "malformed": 1, "templates": 1,
                                   "malformed_by.set_length": 1}}, delta=t)


@case
def c20():
    t = Tally()
    m1 = v9([tset9(t9(256, TF)), fset(256, b"".join(recs(t, "172.16.20",
                                                        2)))], 0, 1)
    m1 += b"\0" * (1408 - len(m1))
    m2 = v9([fset(256, b"".join(recs(Tally(), "172.16.99", 2)))], 1, 1) + \
        b"\xde\xad\xbe\xef\x01"
    m3 = v9([fset(256, b"".join(recs(Tally(), "172.16.98", 1)))], 1, 1) + \
        b"\0\0\x01"
    m4 = v9([fset(256, b"".join(recs(t, "172.16.21", 1)))], 1, 1)
    return Case("C20", "v9 zero-padded to 1408 B: decoded, not malformed;"
                " non-zero trailing garbage: malformed{set_length} x2",
                B([m1, m2, m3, m4]), stats={"decoded": 2, "malformed": 2},
                sources={v9src(): {"datagrams": 4, "records": 3,
                                   "templates": 1, "malformed": 2,
                                   "malformed_by.set_length": 2}}, delta=t)


@case
def c21():
    t = Tally()
    opts = ot9(300, [(SYSTEM, 4)], [(SAMPLING, 4)])   # 14 B: 2 B padding
    m1 = v9([fset(0, t9(256, TF), pad=3), fset(1, opts, pad=2),
             fset(256, b"".join(recs(t, "172.16.21", 2)), pad=3),
             fset(256, b"".join(recs(t, "172.16.22", 2)), pad=20),
             fset(300, uint(0, 4) + uint(1, 4), pad=1)], 0, 1)
    return Case("C21", "v9 data/template/options sets padded by 1-3 and by"
                " 20 (< record) bytes: records before the padding decoded",
                B([m1]), stats={"decoded": 1},
                sources={v9src(): {"datagrams": 1, "records": 4,
                                   "templates": 2,
                                   "options_records": 1}}, delta=t)


@case
def c22():
    t = Tally()
    m1 = v9([tset9(t9(256, TF))], 0, 1)
    m2 = v9([tset9(t9(256, [], count=0))], 1, 1)
    m3 = v9([fset(256, b"".join(recs(t, "172.16.22", 3)))], 2, 1)
    return Case("C22", "v9 template with 0 fields: templates_rejected{1};"
                " the existing template 256 still decodes",
                B([m1, m2, m3]), stats={"decoded": 3},
                sources={v9src(): {"datagrams": 3, "records": 3,
                                   "templates": 1,
                                   "templates_rejected": 1}}, delta=t)


@case
def c23():
    t = Tally()
    m1 = v9([tset9(t9(256, TF))], 0, 1)
    m2 = v9([tset9(t9(256, [(IN_BYTES, 0), (IN_PKTS, 0), (999, 0)]),
                   t9(257, [(IN_BYTES, 0), (IN_PKTS, 0)]))], 1, 1)
    m3 = v9([fset(256, b"".join(recs(t, "172.16.23", 2))),
             fset(257, b"\0" * 16)], 2, 1)
    return Case("C23", "v9 templates of 0-length fields (record length 0):"
                " templates_rejected{2}, no 0-byte loop; 256 untouched",
                B([m1, m2, m3]), stats={"decoded": 3},
                sources={v9src(): {"datagrams": 3, "records": 2,
                                   "templates": 1, "templates_rejected": 2,
                                   "waiting": 1,
                                   "waiting_expired": 1}}, delta=t)


@case
def c24():
    t = Tally()
    m1 = v9([tset9(t9(256, TF)), fset(256, b"".join(recs(t, "172.16.24",
                                                        1)))], 0, 1)
    bad = v9([tset9(t9(258, TF)), tset9(t9(257, TF[:2], count=40))], 1, 1)
    m3 = v9([fset(256, b"".join(recs(t, "172.16.25", 1))),
             fset(258, b"".join(recs(Tally(), "172.16.26", 1)))], 1, 1)
    return Case("C24", "v9 template 4+4*count > flowset:"
                " malformed{template}, atomic (258 before it not installed)",
                B([m1, bad, m3]), stats={"decoded": 2, "malformed": 1},
                sources={v9src(): {"datagrams": 3, "records": 2,
                                   "templates": 1, "malformed": 1,
                                   "malformed_by.template": 1,
                                   "waiting": 1,
                                   "waiting_expired": 1}}, delta=t)


@case
def c25():
    t = Tally()
    f = [(SRC4, 4), (IN_BYTES, 0), (IN_PKTS, 4)]
    body = b"".join(struct.pack(">II", ip4("172.16.25.%d" % i), 9)
                    for i in range(1, 4))
    t.add(9, 0, 3)                      # no byte count: 0 bytes
    return Case("C25", "v9 IN_BYTES of length 0: template kept, field"
                " absent, bad_fields{1}, records decoded",
                B([v9([tset9(t9(256, f)), fset(256, body)], 0, 1)]),
                stats={"decoded": 1},
                sources={v9src(): {"datagrams": 1, "records": 3,
                                   "templates": 1, "bad_fields": 1}},
                delta=t)


@case
def c26():
    t = Tally()
    f = [(SRC4, 50), (SRCMAC, 7), (SRC6, 15), (IN_PKTS, 4), (IN_BYTES, 4)]
    rec = b"\x41" * 50 + b"\x42" * 7 + b"\x43" * 15 + struct.pack(">II", 2,
                                                                 300)
    t.add(2, 300, 2)

    def flows(recs_, fail):
        mine = [r for r in recs_ if r["exporter"] == BAD]
        if len(mine) != 2 or any(r["srcip"] not in ("0.0.0.0", "::")
                                 for r in mine):
            fail("source address read from a 50-byte field: %r" %
                 [r["srcip"] for r in mine])
    return Case("C26", "v9 IPV4_SRC_ADDR len 50, MAC len 7, IPv6 len 15:"
                " fields skipped, bad_fields{3}, records decoded",
                B([v9([tset9(t9(256, f)), fset(256, rec * 2)], 0, 1)]),
                stats={"decoded": 1},
                sources={v9src(): {"datagrams": 1, "records": 2,
                                   "templates": 1, "bad_fields": 3}},
                delta=t, flows=flows)


@case
def c27():
    t = Tally()
    sets, tmpls = [], []
    for i, n in enumerate((1, 2, 3, 5, 7, 8)):
        tmpls.append(t9(256 + i, [(IN_PKTS, 4), (IN_BYTES, n)]))
        # the largest value of each size; 8 bytes: 2^40 (totals stay < 2^64)
        v = (1 << (8 * n)) - 1 - i if n < 8 else (1 << 40) + 5
        sets.append(fset(256 + i, struct.pack(">I", 1) + uint(v, n)))
        t.add(1, v)
    tmpls.append(t9(270, [(IN_PKTS, 4), (IN_BYTES, 9), (SRC4, 4)]))
    tmpls.append(t9(271, [(IN_PKTS, 16), (IN_BYTES, 4)]))
    sets.append(fset(270, struct.pack(">I", 1) + b"\xff" * 9 +
                     socket.inet_aton("172.16.27.1")))
    sets.append(fset(271, b"\xff" * 16 + struct.pack(">I", 77)))
    t.add(1, 0)
    t.add(0, 77)
    return Case("C27", "v9 counters of 1,2,3,5,7,8 bytes decoded big-endian;"
                " 9 and 16 bytes skipped, bad_fields{2}",
                B([v9([tset9(*tmpls)] + sets, 0, 1)]), stats={"decoded": 1},
                sources={v9src(): {"datagrams": 1, "records": 8,
                                   "templates": 8, "bad_fields": 2,
                                   "implausible": 0}}, delta=t)


@case
def c28():
    big = t9(256, [(IN_BYTES, 0x7FFF)] * 128)       # sum 4 MB
    huge = t9(257, [(IN_BYTES, 0xFFFF)] * 16000)    # 64 KB of fields
    m = v9([tset9(big)], 0, 1)
    m2 = v9([tset9(huge)], 1, 1)
    return Case("C28", "v9 template of 128 x 0x7fff-byte fields (record"
                " > set) and of 16000 x 0xffff fields: templates_rejected{2},"
                " no allocation, no overflow", B([m, m2]),
                stats={"decoded": 2},
                sources={v9src(): {"datagrams": 2,
                                   "templates_rejected": 2}})


@case
def c29():
    t = Tally()
    f128 = [(999, 1)] * 121 + TF
    f129 = [(999, 1)] * 122 + TF
    rec = b"\0" * 121 + trec("172.16.29.1", "198.51.100.1", 1, 50)
    t.add(1, 50)
    m = v9([tset9(t9(256, f128), t9(257, f129)), fset(256, rec),
            fset(257, b"\0" * 122 + trec("172.16.99.1", "198.51.100.1", 1,
                                         50))], 0, 1)
    return Case("C29", "v9 templates of 128 fields (the cap) and 129:"
                " 128 decodes, 129 templates_rejected{1}, its data waits",
                B([m]), stats={"decoded": 1},
                sources={v9src(): {"datagrams": 1, "records": 1,
                                   "templates": 1, "templates_rejected": 1,
                                   "waiting": 1,
                                   "waiting_expired": 1}}, delta=t)


@case
def c29_many():
    # RFC 3954 §9 / RFC 7011 §8: any number of template records per message
    return Case("C29", "100 templates in one IPFIX message (cache room for"
                " 256 per source): all installed, template_limit 0",
                B([ipfix([fset(2, b"".join(tx(256 + i, TF)
                                           for i in range(100)))], 0, 1)]),
                stats={"decoded": 1},
                sources={xsrc(): {"datagrams": 1, "templates": 100}})


PENDING_SOURCE = 256 << 10      # tmpl.h TMPL_PENDING_SOURCE


@case
def c30():
    t = Tally()
    early = fset(256, b"".join(recs(t, "172.16.30", 2)))
    m1 = v9([early], 0, 1)
    m2 = v9([tset9(t9(256, TF)), fset(256, b"".join(recs(t, "172.16.31",
                                                        1)))], 1, 1)
    bigs, queued, expired = [], 0, 0        # the early set was decoded
    for i in range(6):
        body = b"\x55" * 60000
        bigs.append(v9([fset(300, body)], 2 + i, 1))
        if queued + len(body) > PENDING_SOURCE:
            expired += 1
        else:
            queued += len(body)
    # What was queued expires at the end of the file as well.
    expired = len(bigs)
    return Case("C30", "v9 data before its template: waiting, then"
                " waiting_decoded{1}; 360 KB for a template that never comes"
                " hits the 256 KiB bound, and the rest expires at the end"
                " of the file: waiting_expired{%d}" % expired,
                B([m1, m2] + bigs), stats={"decoded": 8},
                sources={v9src(): {"datagrams": 8, "records": 3,
                                   "templates": 1, "waiting": 7,
                                   "waiting_decoded": 1,
                                   "waiting_expired": expired}}, delta=t)


@case
def c31():
    t = Tally()
    m = v9([tset9(t9(256, TF)), fset(2, b"\x01" * 8), fset(128, b""),
            fset(255, b"\x02" * 40),
            fset(256, b"".join(recs(t, "172.16.31", 2)))], 0, 1)
    mx = ipfix([fset(0, b"\0" * 4), fset(1, b"\0" * 8), fset(4, b"\x01" * 4),
                fset(255, b""), fset(2, tx(256, TF)),
                fset(256, b"".join(recs(t, "172.16.32", 1)))], 0, 1)
    return Case("C31", "reserved set IDs (v9 2,128,255; IPFIX 0,1,4,255):"
                " skipped by length, reserved_sets{3,4}, data decoded",
                B([m, mx]), stats={"decoded": 2},
                sources={v9src(): {"datagrams": 1, "records": 2,
                                   "templates": 1, "reserved_sets": 3},
                         src(proto="ipfix", domain=1): {
                             "datagrams": 1, "records": 1, "templates": 1,
                             "reserved_sets": 4}}, delta=t)


@case
def c31_many():
    # 1100 empty reserved sets: a well-formed 4416-byte message
    return Case("C31", "1100 reserved sets in one IPFIX message: skipped,"
                " reserved_sets{1100}, not malformed",
                B([ipfix([fset(4, b"")] * 1100, 0, 1)]), stats={"decoded": 1},
                sources={xsrc(): {"datagrams": 1, "reserved_sets": 1100}})


# Two layouts a mix-up would show: the same 8 bytes, counters swapped.
LA = [(SRC4, 4), (IN_PKTS, 4), (IN_BYTES, 4)]
LB = [(SRC4, 4), (IN_BYTES, 4), (IN_PKTS, 4)]
LC = [(SRC4, 4), (IN_BYTES, 4)]


def lrec(ip, a, b):
    return socket.inet_aton(ip) + struct.pack(">II", a, b)


def scoped_streams(mk, tset, cid, title, proto):
    """Template 256 with three layouts: stream A (domain 1), the same
    address's domain 2, its other port, and a second address."""
    t = Tally()
    streams = [
        (BAD, BADPORT, 1, LA, lrec("172.16.40.1", 2, 1000), (2, 1000)),
        (BAD, BADPORT, 2, LB, lrec("172.16.40.2", 3000, 4), (4, 3000)),
        (BAD, BADPORT + 1, 1, LC, socket.inet_aton("172.16.40.3") +
         struct.pack(">I", 5000), (0, 5000)),
        (BAD2, BADPORT, 1, LB, lrec("172.16.40.4", 6000, 7), (7, 6000)),
    ]
    bad, sources = [], {}
    for ip, port, dom, lay, _, _ in streams:     # all templates first
        bad.append((ip, port, mk([fset(tset, tx(256, lay))], 0, dom)))
    for ip, port, dom, lay, rec, (p, b) in streams:
        bad.append((ip, port, mk([fset(256, rec)], 1 if tset == 0 else 0,
                                 dom)))
        t.add(p, b)
        sources[(ip, port, proto, dom)] = {"datagrams": 2, "records": 1,
                                           "templates": 1}
    return Case(cid, title, bad, stats={"decoded": 8}, sources=sources,
                delta=t)


@case
def c32():
    return scoped_streams(v9, 0, "C32", "v9 template 256 in 3 layouts by"
                          " exporter A, A's 2nd source ID, A's 2nd port and"
                          " exporter B: each decoded with its own",
                          "netflow-v9")


@case
def c33():
    t = Tally()
    m1 = v9([tset9(t9(256, LA)), fset(256, lrec("172.16.33.1", 2, 1000))],
            0, 1)
    m2 = v9([tset9(t9(256, LB)), fset(256, lrec("172.16.33.2", 3000, 4))],
            1, 1)
    m3 = v9([fset(256, lrec("172.16.33.3", 5000, 6))], 2, 1)
    t.add(2, 1000)
    t.add(4, 3000)
    t.add(6, 5000)
    return Case("C33", "v9 template 256 redefined: replaced, later data uses"
                " the new layout (templates{2}; no separate redefined count)",
                B([m1, m2, m3]), stats={"decoded": 3},
                sources={v9src(): {"datagrams": 3, "records": 3,
                                   "templates": 2}}, delta=t)


@case
def c34():
    t = Tally()
    m1 = v9([tset9(t9(256, TF)), fset(256, b"".join(recs(t, "172.16.34",
                                                        1)))], 0, 1)
    scope0 = v9([fset(1, ot9(300, [], [(SAMPLING, 4)]), pad=2)], 1, 1)
    odd = v9([fset(1, ot9(301, [(SYSTEM, 4)], [(SAMPLING, 4)], scope_len=6),
                   pad=2)], 2, 1)
    over = v9([fset(1, ot9(302, [(SYSTEM, 4)], [(SAMPLING, 4)], opt_len=40),
                    pad=2)], 2, 1)
    m4 = v9([fset(256, b"".join(recs(t, "172.16.35", 1)))], 2, 1)
    return Case("C34", "v9 options template: scope length 0 ->"
                " templates_rejected{1}; scope length 6 and option length"
                " beyond the set -> malformed{template} x2 (record bounds"
                " lost)", B([m1, scope0, odd, over, m4]),
                stats={"decoded": 3, "malformed": 2},
                sources={v9src(): {"datagrams": 5, "records": 2,
                                   "templates": 1, "templates_rejected": 1,
                                   "malformed": 2,
                                   "malformed_by.template": 2}}, delta=t)


@case
def c35():
    t = Tally()
    ot = ot9(300, [(SYSTEM, 4)], [(SAMPLING, 4)])
    d = [(0, "172.16.35.1", 1), (0xFFFFFFFF, "172.16.35.2", 0xFFFFFFFF)]
    bad = [v9([tset9(t9(256, TF)), fset(1, ot, pad=2)], 0, 1)]
    for i, (rate, ip, mult) in enumerate(d):
        bad.append(v9([fset(300, uint(0, 4) + uint(rate, 4)),
                       fset(256, trec(ip, "198.51.100.1", 3, 1000))],
                      1 + i, 1))
        t.add(3 * mult, 1000 * mult)
    # IPFIX: samplingPacketInterval 0 with samplingPacketSpace 1000
    ox = otx(400, [(SYSTEM, 4)], [(PKT_INTERVAL, 4), (PKT_SPACE, 4)])
    mx = ipfix([fset(2, tx(256, TF)), fset(3, ox, pad=2),
                fset(400, uint(0, 4) + uint(0, 4) + uint(1000, 4)),
                fset(256, trec("172.16.35.3", "198.51.100.1", 3, 1000))],
               0, 1)
    t.add(3, 1000)
    main = Case("C35", "options SAMPLING_INTERVAL 0 -> x1, 0xffffffff ->"
                " x4294967295 in 64 bits; IPFIX packet interval 0 -> x1;"
                " no SIGFPE", B(bad + [mx]), stats={"decoded": 4},
                sources={v9src(): {"datagrams": 3, "records": 2,
                                   "templates": 2, "options_records": 2},
                         src(proto="ipfix", domain=1): {
                             "datagrams": 1, "records": 1, "templates": 2,
                             "options_records": 1}}, delta=t)
    # An 8-byte counter of 2^32+2 at rate 2^32-1 is 2^64+2^32-2: saturate,
    # never wrap to a small number.
    f8 = [(SRC4, 4), (IN_PKTS, 8), (IN_BYTES, 8)]
    big = [v9([tset9(t9(256, f8)), fset(1, ot, pad=2),
               fset(300, uint(0, 4) + uint(0xFFFFFFFF, 4)),
               fset(256, socket.inet_aton("172.16.35.9") + uint(1, 8) +
                    uint((1 << 32) + 2, 8))], 0, 1)]

    def flows(recs_, fail):
        mine = [r for r in recs_ if r["exporter"] == BAD]
        if len(mine) != 1 or mine[0]["bytes"] < 1 << 63:
            fail("(2^32+2) bytes x 4294967295 wrapped: %r" %
                 [r["bytes"] for r in mine])
    sat = Case("C35", "8-byte counter x rate 2^32-1 past 2^64: saturates, no"
               " wrap to a small number", B(big), stats={"decoded": 1},
               sources={v9src(): {"datagrams": 1, "records": 1,
                                  "templates": 2, "options_records": 1}},
               flows=flows, totals=False)
    return [main, sat]


@case
def c36():
    t = Tally()
    f = [(IN_BYTES, 4), (57000, 6), (IN_PKTS, 4), (40000, 1)]
    rec = struct.pack(">I", 1234) + b"\x80" * 6 + struct.pack(">I", 5) + \
        b"\x01"
    t.add(5, 1234, 3)
    return Case("C36", "v9 field types >= 32768 (57000, 40000): skipped by"
                " length, not as an enterprise bit (enterprise_fields 0)",
                B([v9([tset9(t9(256, f)), fset(256, rec * 3)], 0, 1)]),
                stats={"decoded": 1},
                sources={v9src(): {"datagrams": 1, "records": 3,
                                   "templates": 1}}, delta=t)


@case
def c37():
    t = Tally()
    f = [(SRC4, 4), (IN_PKTS, 4), (IN_BYTES, 4), (FIRST_SW, 4), (LAST_SW, 4)]
    up = 100000
    rec = socket.inet_aton("172.16.37.1") + struct.pack(
        ">IIII", 1, 100, up + 1000, up + 2000)
    t.add(1, 100)
    ex = T0 * 1000

    def flows(recs_, fail):
        got = times_of(recs_, "172.16.37.1")
        if got != [(ex + 1000, ex + 2000)]:
            fail("first/last %r, want %r" % (got, [(ex + 1000, ex + 2000)]))
    return Case("C37", "v9 FIRST_SWITCHED > SysUptime (Juniper): signed"
                " difference, start<=end, no 49.7-day offset",
                B([v9([tset9(t9(256, f)), fset(256, rec)], 0, 1,
                      uptime=up)]), stats={"decoded": 1},
                sources={v9src(): {"datagrams": 1, "records": 1,
                                   "templates": 1}}, delta=t, flows=flows)


@case
def c38():
    t = Tally()
    ot = ot9(300, [(SYSTEM, 4)], [(SAMPLER_ID, 1), (SAMPLER_INT, 4)])
    fs = [(SRC4, 4), (IN_PKTS, 4), (IN_BYTES, 4), (SAMPLER_ID, 1)]
    fr = [(SRC4, 4), (IN_PKTS, 4), (IN_BYTES, 4), (SAMPLING, 4)]
    m1 = v9([tset9(t9(256, fs), t9(257, fr)), fset(1, ot, pad=2),
             fset(300, uint(0, 4) + b"\x01" + uint(10, 4) +
                  uint(0, 4) + b"\x02" + uint(100, 4))], 0, 1)
    d = fset(256, socket.inet_aton("172.16.38.1") + uint(1, 4) +
             uint(50, 4) + b"\x01" + socket.inet_aton("172.16.38.2") +
             uint(2, 4) + uint(60, 4) + b"\x02")
    r = fset(257, socket.inet_aton("172.16.38.3") + uint(3, 4) +
             uint(70, 4) + uint(7, 4))
    t.add(10, 500)
    t.add(200, 6000)
    t.add(21, 490)
    return Case("C38", "v9 per-record SAMPLING_INTERVAL (Huawei) and two"
                " samplers by SAMPLER_ID: each record scaled by its own rate",
                B([m1, v9([d, r], 1, 1)]), stats={"decoded": 2},
                sources={v9src(): {"datagrams": 2, "records": 3,
                                   "templates": 3, "options_records": 2}},
                delta=t)


# -- IPFIX --------------------------------------------------------------------

def xsrc(domain=1, port=BADPORT, ip=BAD):
    return src(ip, port, "ipfix", domain)


def xok(t, base, n, seq, dom=1, tmpl=True):
    sets = [fset(2, tx(256, TF))] if tmpl else []
    sets.append(fset(256, b"".join(recs(t, base, n))))
    return ipfix(sets, seq, dom)


@case
def c39():
    t = Tally()
    m1 = xok(t, "172.16.39", 1, 0)
    body = [fset(256, b"".join(recs(Tally(), "172.16.99", 1)))]
    lens = [ipfix(body, 1, 1, length=15), ipfix(body, 1, 1, length=0),
            ipfix(body, 1, 1, length=16 + len(body[0]) + 1)]
    short = ipfix([], 1, 1)[:10]
    m2 = xok(t, "172.16.40", 1, 1, tmpl=False)
    return Case("C39", "IPFIX Message Length 15, 0, datagram+1:"
                " malformed{msg_length} x3; a 10-byte message:"
                " malformed{short_header} (on domain 0)",
                B([m1] + lens + [short, m2]),
                stats={"decoded": 2, "malformed": 4},
                sources={xsrc(): {"datagrams": 5, "records": 2,
                                  "templates": 1, "malformed": 3,
                                  "malformed_by.msg_length": 3},
                         xsrc(0): {"datagrams": 1, "malformed": 1,
                                   "malformed_by.short_header": 1}},
                delta=t)


@case
def c40():
    t = Tally()
    m = xok(t, "172.16.40", 2, 0) + b"\x01\x02\x03garbage"
    return Case("C40", "IPFIX Message Length < datagram: only Length bytes"
                " parsed, trailing{1}", B([m]), stats={"decoded": 1},
                sources={xsrc(): {"datagrams": 1, "records": 2,
                                  "templates": 1, "trailing": 1}}, delta=t)


@case
def c41():
    t = Tally()
    body = b"".join(recs(Tally(), "172.16.99", 2))
    bad = ipfix([fset(2, tx(256, TF)), fset(256, body),
                 fset(256, body, length=len(body) + 100)], 0, 1)
    m2 = ipfix([fset(256, b"".join(recs(Tally(), "172.16.41", 1)))], 0, 1)
    return Case("C41", "IPFIX set overrunning the message after a valid"
                " template set: malformed{set_length}, template not"
                " installed (later data waits)", B([bad, m2]),
                stats={"decoded": 1, "malformed": 1},
                sources={xsrc(): {"datagrams": 2, "malformed": 1,
                                  "malformed_by.set_length": 1,
                                  "waiting": 1,
                                  "waiting_expired": 1}}, delta=t)


@case
def c42():
    t = Tally()
    m1 = xok(t, "172.16.42", 1, 0)
    bad = ipfix([fset(2, struct.pack(">HHHH", 257, 1, 0x8001, 4) + b"\0\0")],
                1, 1)
    m2 = xok(t, "172.16.43", 1, 1, tmpl=False)
    return Case("C42", "IPFIX enterprise bit with 2 bytes left for the PEN:"
                " malformed{template}", B([m1, bad, m2]),
                stats={"decoded": 2, "malformed": 1},
                sources={xsrc(): {"datagrams": 3, "records": 2,
                                  "templates": 1, "malformed": 1,
                                  "malformed_by.template": 1}}, delta=t)


VF = [(SRC4, 4), (IN_PKTS, 4), (IFNAME, VARLEN), (IN_BYTES, 4)]


def vrec(ip, pkts, name, octets, raw=None):
    return socket.inet_aton(ip) + uint(pkts, 4) + \
        (raw if raw is not None else varlen(name)) + uint(octets, 4)


@case
def c43():
    t = Tally()
    m1 = ipfix([fset(2, tx(256, VF)),
                fset(256, vrec("172.16.43.1", 1, b"eth0", 100))], 0, 1)
    t.add(1, 100)
    good = fset(256, vrec("172.16.99.1", 1, b"x", 100))
    over = fset(256, socket.inet_aton("172.16.99.2") + uint(1, 4) +
                b"\xff\x01\x00" + b"y" * 10)
    bad = ipfix([good, over], 1, 1)
    m3 = ipfix([fset(256, vrec("172.16.43.2", 2, b"", 200))], 1, 1)
    t.add(2, 200)
    now = Case("C43", "IPFIX varlen (3-byte form, 256) longer than its set:"
               " malformed{record}, the whole message discarded",
               B([m1, bad, m3]), stats={"decoded": 2, "malformed": 1},
               sources={xsrc(): {"datagrams": 3, "records": 2,
                                 "templates": 1, "malformed": 1,
                                 "malformed_by.record": 1}}, delta=t)
    # The same overrun in a set that waited for its template: the message
    # was decoded (its template unknown), so the set is dropped when the
    # template comes: waiting_expired, and malformed_by stays the sum of
    # rejected datagrams.
    w1 = ipfix([over], 0, 1)
    w2 = ipfix([fset(2, tx(256, VF))], 0, 1)
    later = Case("C43", "the same overrun in a set waiting for its template:"
                 " dropped when the template comes (waiting_expired{1}),"
                 " no malformed_by without malformed",
                 B([w1, w2]), stats={"decoded": 2},
                 sources={xsrc(): {"datagrams": 2, "templates": 1,
                                   "waiting": 1, "waiting_expired": 1}})
    return [now, later]


@case
def c44():
    t = Tally()
    rs = [vrec("172.16.44.1", 1, b"", 100),
          vrec("172.16.44.2", 2, b"n" * 254, 200),
          vrec("172.16.44.3", 3, None, 300, raw=b"\xff\x00\x05abcde"),
          vrec("172.16.44.4", 4, b"m" * 300, 400)]
    for p in range(1, 5):
        t.add(p, 100 * p)
    return Case("C44", "IPFIX varlen 0, 1-byte form 254, 3-byte form of 5"
                " and 300: all accepted, cursor right (sums exact)",
                B([ipfix([fset(2, tx(256, VF)), fset(256, b"".join(rs))],
                         0, 1)]), stats={"decoded": 1},
                sources={xsrc(): {"datagrams": 1, "records": 4,
                                  "templates": 1}}, delta=t)


@case
def c45():
    t = Tally()
    m1 = xok(t, "172.16.45", 1, 0)
    wd = ipfix([fset(2, struct.pack(">HH", 256, 0)),
                fset(2, struct.pack(">HH", 2, 0)),
                fset(3, struct.pack(">HH", 3, 0) + b"\0\0")], 1, 1)
    m3 = xok(t, "172.16.46", 2, 1, tmpl=False)
    return Case("C45", "IPFIX withdrawal of 256, all-templates (ID 2) and"
                " all-options (ID 3) over UDP: ignored, withdrawals{3},"
                " 256 still decodes", B([m1, wd, m3]), stats={"decoded": 3},
                sources={xsrc(): {"datagrams": 3, "records": 3,
                                  "templates": 1, "withdrawals": 3}},
                delta=t)


@case
def c46():
    o0 = otx(300, [(SYSTEM, 4)], [(SAMPLING, 4)], scope_count=0)
    o9 = otx(301, [(SYSTEM, 4)], [(SAMPLING, 4)], scope_count=9)
    m = ipfix([fset(3, o0 + o9), fset(300, uint(0, 4) + uint(5, 4))], 0, 1)
    return Case("C46", "IPFIX options template with scope count 0 (and 9 >"
                " field count): templates_rejected{2}, its data waits",
                B([m]), stats={"decoded": 1},
                sources={xsrc(): {"datagrams": 1, "templates_rejected": 2,
                                  "waiting": 1,
                                  "waiting_expired": 1}})


@case
def c47():
    t = Tally()
    m = ipfix([fset(2, tx(255, TF) + tx(0, TF) + tx(256, TF)),
               fset(256, b"".join(recs(t, "172.16.47", 1)))], 0, 1)
    m9 = v9([tset9(t9(100, TF))], 0, 1)
    return Case("C47", "template IDs 255 and 0 (IPFIX), 100 (v9):"
                " templates_rejected{2,1}; 256 beside them decodes",
                B([m, m9]), stats={"decoded": 2},
                sources={xsrc(): {"datagrams": 1, "records": 1,
                                  "templates": 1, "templates_rejected": 2},
                         v9src(): {"datagrams": 1,
                                   "templates_rejected": 1}}, delta=t)


@case
def c48():
    t = Tally()
    m1 = xok(t, "172.16.48", 2, 0)
    ot = otx(256, [(SYSTEM, 4)], [(SAMPLING, 4)])
    m2 = ipfix([fset(3, ot, pad=2), fset(256, uint(0, 4) + uint(1, 4))],
               2, 1)
    # Options records do not advance the expected sequence (dec-flowset.c).
    m3 = xok(t, "172.16.49", 1, 2)
    return Case("C48", "IPFIX template 256 redefined as an options template"
                " and back: latest wins; options data counted as such",
                B([m1, m2, m3]), stats={"decoded": 3},
                sources={xsrc(): {"datagrams": 3, "records": 3,
                                  "templates": 3, "options_records": 1}},
                delta=t)


def nested_lists(depth):
    """subTemplateList (292) in basicList (291) ... `depth` deep."""
    b = b""
    for i in range(depth):
        if i % 2:
            b = b"\x03" + struct.pack(">H", 256) + b   # subTemplateList
        else:
            b = b"\x03" + struct.pack(">HH", 291, VARLEN) + varlen(b)
    return b


@case
def c49():
    t = Tally()
    f = [(SRC4, 4), (IN_PKTS, 4), (291, VARLEN), (292, VARLEN),
         (293, VARLEN), (IN_BYTES, 4)]
    deep = nested_lists(7000)[:60000]
    self_ref = b"\x03" + struct.pack(">H", 256) + b"\0" * 20
    rec = socket.inet_aton("172.16.49.1") + uint(3, 4) + varlen(deep) + \
        varlen(self_ref) + varlen(b"\x03" + b"\x01\x00\x00\x00") + \
        uint(333, 4)
    t.add(3, 333)
    return Case("C49", "IPFIX basicList/subTemplateList 7000 deep (60 KB) and"
                " self-referencing: skipped by length, record decoded",
                B([ipfix([fset(2, tx(256, f)), fset(256, rec)], 0, 1)]),
                stats={"decoded": 1},
                sources={xsrc(): {"datagrams": 1, "records": 1,
                                  "templates": 1}}, delta=t)


@case
def c50():
    t = Tally()
    ot = otx(300, [(INIF, 4)], [(IFNAME, VARLEN)])
    evil = b"\x1b]0;PWNED\x07\x1b[2J\r\nX\xe2\x80\xae\xc2\x9b\xff\xfe"
    opt = uint(7, 4) + varlen(evil)
    f = [(SRC4, 4), (IN_PKTS, 4), (IN_BYTES, 4), (INIF, 4)]
    d = socket.inet_aton("172.16.50.1") + uint(1, 4) + uint(10, 4) + \
        uint(7, 4)
    t.add(1, 10)

    def flows(recs_, fail):
        mine = [r for r in recs_ if r["exporter"] == BAD]
        name = mine[0].get("inif_name") if mine else None
        if name is None:
            fail("no inif_name")
            return
        bad = [c for c in name if ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f
               or c in "\u202e\u200e\u200f"]
        if bad or "\\x1b" not in name or "\\u{202e}" not in name:
            fail("interface name not escaped: %r" % name)
    return Case("C50", "IPFIX interfaceName with ESC, BEL, CR/LF, U+202E,"
                " U+009B, invalid UTF-8: stored escaped",
                B([ipfix([fset(2, tx(256, f)), fset(3, ot, pad=2),
                          fset(300, opt), fset(256, d)], 0, 1)]),
                stats={"decoded": 1},
                sources={xsrc(): {"datagrams": 1, "records": 1,
                                  "templates": 2, "options_records": 1}},
                delta=t, flows=flows)


@case
def c51():
    t = Tally()
    f = [(SRC4, 3), (IN_PKTS, 4), (IN_BYTES, 4), (START_MS, 4), (END_MS, 4)]
    rec = b"\xac\x10\x33" + uint(1, 4) + uint(10, 4) + uint(12345, 4) + \
        uint(12346, 4)
    t.add(1, 10)
    ex = T0 * 1000

    def flows(recs_, fail):
        mine = [(r["srcip"].replace("::", "0.0.0.0"), r["first"], r["last"])
                for r in recs_ if r["exporter"] == BAD]
        if mine != [("0.0.0.0", ex, ex)]:
            fail("reduced-size address/time used: %r, want %r" %
                 (mine, [("0.0.0.0", ex, ex)]))
    return Case("C51", "IPFIX reduced-size ipv4Address (3) and"
                " dateTimeMilliseconds (4): fields skipped, bad_fields{3}",
                B([ipfix([fset(2, tx(256, f)), fset(256, rec)], 0, 1)]),
                stats={"decoded": 1},
                sources={xsrc(): {"datagrams": 1, "records": 1,
                                  "templates": 1, "bad_fields": 3}},
                delta=t, flows=flows)


@case
def c52():
    t = Tally()
    f = [(SRC4, 4), (IN_PKTS, 4), (IN_BYTES, 4), (START_MS, 8), (END_MS, 8)]
    fd = [(SRC4, 4), (IN_PKTS, 4), (IN_BYTES, 4), (START_DUS, 8)]
    ex = T0 * 1000
    rs = [("172.16.52.1", 0, ex - 1000),
          ("172.16.52.2", 2 ** 64 - 1, 2 ** 64 - 1),
          ("172.16.52.3", ex - 1000, ex - 5000)]
    body = b"".join(socket.inet_aton(ip) + uint(1, 4) + uint(10, 4) +
                    uint(a, 8) + uint(b, 8) for ip, a, b in rs)
    dbody = socket.inet_aton("172.16.52.4") + uint(1, 4) + uint(10, 4) + \
        uint(1 << 63, 8)
    t.add(1, 10, 4)

    def text(lines, fail):
        # nftop has no time bounds (no clock_skew): what it must do is
        # show no negative duration and survive the ms -> date conversion
        mine = [l for l in lines if " 10.99.0.1" in l or "172.16.52." in l]
        if len(mine) != 4:
            fail("%d text flow lines for the bad exporter, want 4: %r" %
                 (len(mine), mine))
        for l in mine:
            if " -" in l.split("172.16.52.")[0]:
                fail("negative duration: %r" % l)
    return Case("C52", "IPFIX flowStartMilliseconds 0 and 2^64-1, end <"
                " start, start delta 2^63 us > export time: records kept,"
                " no negative duration, dates survive",
                B([ipfix([fset(2, tx(256, f) + tx(257, fd)),
                          fset(256, body), fset(257, dbody)], 0, 1)]),
                stats={"decoded": 1},
                sources={xsrc(): {"datagrams": 1, "records": 4,
                                  "templates": 2}}, delta=t, text=text)


@case
def c53():
    t = Tally()
    # (seq, records, template-only?) for ODID 1; ODID 2 runs clean beside
    plan = [(0, 5, False), (5, 0, True), (5, 3, False), (10, 2, False),
            (10, 2, False), (0xFFFFFFFE, 4, False), (2, 1, False)]
    bad = []
    for i, (seq, n, tonly) in enumerate(plan):
        sets = [fset(2, tx(256, TF))]
        if not tonly:
            sets.append(fset(256, b"".join(recs(t, "172.%d.53" % (16 + i),
                                                n))))
        bad.append(ipfix(sets, seq, 1))
        bad.append(xok(t, "172.%d.54" % (16 + i), 2, 2 * i, dom=2))
    return Case("C53", "IPFIX sequence per ODID: gap lost{2} in records,"
                " template-only message does not advance, duplicate and jump"
                " seq_resets{2}, wrap no gap; ODID 2 beside it lost 0",
                B(bad), stats={"decoded": 14},
                sources={xsrc(): {"datagrams": 7, "records": 17, "lost": 2,
                                  "seq_resets": 2, "templates": 7},
                         xsrc(2): {"datagrams": 7, "records": 14,
                                   "templates": 7}}, delta=t)


@case
def c54():
    return scoped_streams(ipfix, 2, "C54", "IPFIX template 256 in 3 layouts"
                          " by ODIDs 1/2 of one exporter, its 2nd port and a"
                          " 2nd exporter: each decoded with its own", "ipfix")


# ------------------------------------------------------------ checking

STAT_KEYS = ("decoded", "malformed", "unsupported", "denied")


def norm(ip, live):
    """A live exporter address as the pcap one (127.x -> 10.x)."""
    return "10." + ip.split(".", 1)[1] if live and ip.startswith("127.") \
        else ip


def check_case(c, base, run, frun, trun, fail):
    r, b, live = run.r, base.r, c.mode == "live"
    st = r["stats"]
    if st["datagrams"] != sum(st[k] for k in STAT_KEYS):
        fail("conservation: datagrams %d != %s" %
             (st["datagrams"], {k: st[k] for k in STAT_KEYS}))
    if live and st["datagrams"] != c.sent:
        fail("live: nftop saw %d datagrams, %d were sent (kernel drops %d)"
             % (st["datagrams"], c.sent, st.get("kernel_drops", 0)))
    if c.stats is not None:
        for k in STAT_KEYS + tuple(k for k in c.stats if k not in STAT_KEYS):
            got = st.get(k, 0) - b["stats"].get(k, 0)
            if got != c.stats.get(k, 0):
                fail("stats.%s %+d, want %+d" % (k, got, c.stats.get(k, 0)))
    for s in r["sources"]:
        s["exporter"] = norm(s["exporter"], live)
    for t in r["top"]:
        if "exporter" in t["key"]:
            t["key"]["exporter"] = norm(t["key"]["exporter"], live)
    # the bad sources, exactly
    bad = {skey(s): s for s in r["sources"] if s["exporter"] in c.bad_ips}
    if c.sources is not None:
        want = {}
        for k, v in c.sources.items():
            if k[3] is None:            # any domain: match on the rest
                m = [bk for bk in bad if bk[:3] == k[:3]]
                k = m[0] if len(m) == 1 else k
            want[k] = v
        for k in sorted(set(bad) | set(want), key=str):
            if k not in bad:
                fail("no source %s" % (k,))
                continue
            if k not in want:
                fail("unexpected source %s: %s" % (
                    k, {a: v for a, v in flat(bad[k]).items() if v}))
                continue
            got = flat(bad[k])
            for name in sorted(set(got) | set(want[k])):
                if got.get(name, 0) != want[k].get(name, 0):
                    fail("%s %s: %s = %r, want %r" % (
                        k[2], k[3], name, got.get(name),
                        want[k].get(name, 0)))
    # nothing else lost: good sources and good aggregate rows unchanged
    gs = {skey(s): s for s in r["sources"] if s["exporter"] in GOOD_IPS}
    bs = {skey(s): s for s in b["sources"] if s["exporter"] in GOOD_IPS}
    for k, s in bs.items():
        if k not in gs:
            fail("good source %s gone" % (k,))
        elif flat(gs[k]) != flat(s) or gs[k]["sampling"] != s["sampling"]:
            diff = {n: (v, flat(gs[k]).get(n)) for n, v in flat(s).items()
                    if flat(gs[k]).get(n) != v}
            fail("good source %s changed: %s" % (k, diff))
    if set(gs) - set(bs):
        fail("new good sources: %s" % (set(gs) - set(bs)))
    gt = {tkey(t): trow(t) for t in r["top"]
          if t["key"]["exporter"] in GOOD_IPS}
    bt = {tkey(t): trow(t) for t in b["top"]
          if t["key"]["exporter"] in GOOD_IPS}
    if gt != bt:
        diff = sorted(set(gt) ^ set(bt))[:2] or \
            [(gt[k], bt[k]) for k in gt if gt[k] != bt.get(k)][:2]
        fail("good aggregate rows differ: %d vs %d rows, e.g. %s" % (
            len(gt), len(bt), diff))
    # totals: the baseline's exports, plus the bad exporter's; packets a
    # --read file meters (exporter "::", not exports) are counted apart
    def exports(rep):
        m = [t for t in rep["top"] if t["key"]["exporter"] == "::"]
        tot = rep["totals"]
        return (tot["flows"] - sum(t["flows"] for t in m),
                tot["packets"] - sum(t["packets"] for t in m),
                tot["bytes"] - sum(t["bytes"] for t in m))
    got, b0 = exports(r), exports(b)
    want = (b0[0] + c.delta.flows, b0[1] + c.delta.pkts,
            b0[2] + c.delta.bytes)
    if got != want and c.totals:
        fail("totals (flows, packets, bytes) %r, want %r (baseline + %r)" %
             (got, want, c.delta.t()))
    metered = [t for t in r["top"] if t["key"]["exporter"] == "::"]
    if c.metered is not None and \
            sum(t["packets"] for t in metered) != c.metered:
        fail("metered packets %d, want %d" %
             (sum(t["packets"] for t in metered), c.metered))
    if c.check:
        c.check(run, fail)
    if c.flows:
        c.flows(frun.flows, fail)
    if c.text:
        c.text(trun.flows, fail)


def emit(ok, desc, errs, todo=None):
    if todo:
        print("%s\t%s\t%s%s" % ("TODO_PASS" if ok else "TODO_FAIL", desc,
                                todo, "" if ok else
                                "\t" + " | ".join(errs)[:3000]))
    else:
        print("%s\t%s%s" % ("PASS" if ok else "FAIL", desc,
                            "" if ok else "\t" + " | ".join(errs)[:3000]))
    sys.stdout.flush()


def pcap_twin(c):
    """For a live case none of whose datagrams pass for an export in a
    file: the same bytes in a pcap are metered traffic, not decoded."""
    return Case(c.cid, "in a pcap: not export-shaped, so metered as"
                " traffic (%d packets), no decoder state" % len(c.bad),
                c.bad, stats={}, sources={}, metered=len(c.bad),
                mode="pcap")


def expand():
    out = []
    for mk in CASES:
        cs = mk()
        for c in cs if isinstance(cs, list) else [cs]:
            exp = [is_export(b[2]) for b in c.bad]
            if c.mode is None:
                c.mode = "pcap" if all(exp) else "live"
            out.append(c)
            if c.mode == "live" and not any(exp) and c.twin:
                out.append(pcap_twin(c))
    return out


def cmd_run(outdir, only=None):
    good, _ = good_traffic()
    base_pcap = os.path.join(outdir, "baseline.pcap")
    write_pcap(base_pcap, good)
    bases = {}
    slowest = (0, "")
    for c in expand():
        if only and c.cid not in only:
            continue
        errs = []
        pkts = interleave(good, c.bad)
        c.sent = len(pkts)
        try:
            # one baseline per option set: the good traffic from a pcap (a
            # live run of it decodes the same; exporter addresses are
            # mapped back from 127.x to 10.x)
            key = tuple(c.args)
            if key not in bases:
                bases[key] = nftop(base_pcap, args=c.args)
            if c.mode == "live":
                run = nftop_live(pkts, args=c.args)
                frun = nftop_live(pkts, flows=True, args=c.args) \
                    if c.flows else None
                trun = nftop_live(pkts, flows=True, fmt="text",
                                  args=c.args) if c.text else None
            else:
                pcap = os.path.join(outdir, c.cid + ".pcap")
                write_pcap(pcap, pkts)
                run = nftop(pcap, args=c.args)
                frun = nftop(pcap, flows=True, args=c.args) \
                    if c.flows else None
                trun = nftop(pcap, flows=True, fmt="text", args=c.args) \
                    if c.text else None
            slowest = max(slowest, (run.secs, c.cid))
            check_case(c, bases[key], run, frun, trun, errs.append)
        except Exception as e:            # a crash, a hang, bad JSON
            errs.append("%s: %s" % (type(e).__name__, e))
        emit(not errs, "%s %s%s" % (c.cid, "(UDP) " if c.mode == "live"
                                    else "", c.title), errs, c.todo)
    print("# slowest nftop run: %s in %.3f s" % (slowest[1], slowest[0]))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "run":
        cmd_run(sys.argv[2], set(sys.argv[3:]))
    elif len(sys.argv) == 2 and sys.argv[1] == "count":
        print(len(expand()))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
