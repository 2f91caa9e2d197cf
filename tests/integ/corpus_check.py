#!/usr/bin/env python3
"""corpus_check.py - nftop's NetFlow v9 and IPFIX decoders against the
shared corpus (../shared/corpus), printed as TAP.  Python 3, stdlib only.

    corpus_check.py --nftop BIN --corpus DIR --tmp DIR [SCENARIO...]

Every scenario of MANIFEST.md whose protocol is "NetFlow v9" or "IPFIX" is
run.  Its input is one pcap: raw payloads (.dat/.bin) are wrapped, in the
listed order, into Ethernet/IPv4/UDP frames 127.0.0.1:40000 ->
127.0.0.1:2055 with consecutive timestamps; capture files are used as they
are, and several of them are merged, packets in order, into one pcap.  nftop
runs twice on it: `--batch --read PCAP --flows --format json` (one object
per flow record) and `--batch --read PCAP --format json` (the report, whose
"sources" carry the per-exporter counters).

Each scenario's expected values (another decoder's verified decode) are
translated into nftop's terms by an adapter per oracle: logstash-codec-
netflow events, telegraf line protocol, akvorado Go test structs, pmacct
Kafka JSON.  MANIFEST's "Oracle conventions" decide the translation:
options-data records are events for logstash but never flows for nftop
(the payload walker below tells them apart), akvorado and logstash do not
scale counters by the sampling rate (nftop does: their counters are
compared with nftop's divided by its "sampling" member), pmacct aggregates
on its primitives (nftop's records are aggregated the same way).

TAP: per scenario (and per test context of the oracle that has its own
input) one test "decodes, no malformed datagram, N flow record(s)" (or,
for inputs documented as "must not crash", exit status 0 and every
datagram accounted for, plus MANIFEST's tshark counts), counter checks
(options records, templates, datagrams where the oracle has them), then
one test per group of compared fields.  Fields an oracle has and nftop's
record does not carry are listed as "not compared" in the diagnostics.
Where an oracle shows every field of a record (logstash's full events,
telegraf, akvorado), the fields nftop carries that it does not show must
be zero.

An expectation judged wrong is in DISPUTES below: that field gets its own
test, marked TODO with the reason, and is left out of its group; if
nftop's value is neither the expected one nor the one DISPUTES recorded,
the test fails.  What nftop does not do yet (packet sections, RFC 5103
biflows) is in GAPS, also as TODO tests, and reported as such.

Exit status 0 when no test failed (TODO tests do not count).
"""
import argparse
import datetime
import ipaddress
import json
import os
import re
import struct
import subprocess
import sys
import traceback


# --------------------------------------------------------------- disputes

# (scenario, field, expected, nftop's value, reason).  field is an nftop
# member (first, last, ...: values listed per compared record, in order),
# a counter check (templates; flows+options = flow and options records),
# or for pmacct "aggregate" (packets and bytes per aggregate) or "times"
# (timestamp_start/end per aggregate), whose nftop value is the number of
# pmacct aggregates nftop does not reproduce.  Each was checked against
# tshark 4.0 (-d udp.port==N,cflow) on the same pcap and the RFC.
_LS_V9 = "logstash's v9 time is 1 s late: netflow.rb computes " \
    "Timestamp.at(unix_secs - millis/1000, 1000000 - (millis%1000)*1000) " \
    "with millis = sysUptime - switched, i.e. unix_secs - millis/1000 + 1 s" \
    "; RFC 3954 5.1/8 give unix_secs*1000 - (sysUptime - switched) ms, " \
    "which tshark 4.0 (CurrentSecs, SysUptime, StartTime/EndTime) agrees " \
    "with"
DISPUTES = [
    ("ls-nf9-softflowd", "first", [1444331027140], [1444331026140], _LS_V9),
    ("ls-nf9-softflowd", "last", [1444331027141], [1444331026141], _LS_V9),
    ("ls-nf9-cisco-aci", "first", [1539602885019], [1539602884019], _LS_V9),
    ("ls-nf9-cisco-aci", "last", [1539602904066], [1539602903066], _LS_V9),
    ("ls-nf9-multi-exporter", "first", [1444331027140, 1444331156010],
     [1444331026140, 1444331155010], _LS_V9),
    ("ls-nf9-multi-exporter", "last", [1444331027141, 1444331156015],
     [1444331026141, 1444331155015], _LS_V9),
    ("ls-nf9-ipt-netflow", "first", [1518932814800], [1518932813800],
     _LS_V9),
    ("ls-nf9-ipt-netflow", "last", [1518932814992], [1518932813992],
     _LS_V9),
    ("ls-nf9-h3c", "first", [1526894644922], [1526894643922], _LS_V9),
    ("ls-nf9-h3c", "last", [1526894704928], [1526894703928], _LS_V9),
    ("ls-nf9-paloalto-81", "first", [1528291203000], [1528291202000],
     _LS_V9),
    ("ls-nf9-paloalto-81", "last", [1528291203000], [1528291202000],
     _LS_V9),
    ("ls-nf9-ubnt-edgerouter", "first", [1473519774375], [1473519773375],
     _LS_V9),
    ("ls-nf9-ubnt-edgerouter", "last", [1473521025363], [1473521024363],
     _LS_V9),
    # FortiOS stamps first/last 7 days after its own sysUptime: both
    # decoders take the signed difference, logstash still adds its 1 s.
    ("ls-nf9-fortigate-521", "first", [1500957869522], [1500957868522],
     _LS_V9),
    ("ls-nf9-fortigate-521", "last", [1500957878522], [1500957877522],
     _LS_V9),
    ("ls-nf9-0length-fields", "first", [1482456892569], [1482456891569],
     _LS_V9),
    ("ls-nf9-0length-fields", "last", [1482456892569], [1482456891569],
     _LS_V9),
    ("ls-nf9-layer2segmentid", "first", [1516095888000], [1516095887000],
     _LS_V9),
    ("ls-nf9-layer2segmentid", "last", [1516095888000], [1516095887000],
     _LS_V9),
    # The spec's only oracle is "no crash"; these are tshark's counts.
    ("ls-nf9-invalid01", "templates", 2, 3,
     "tshark 4.0 stops at the options template flowset of length 22 (not "
     "4-aligned); RFC 3954 5.3 makes that padding a SHOULD and 5.2 says "
     "the Length MUST locate the next flowset, which is where nftop finds "
     "options template 256, its data (samplingInterval 100) and one "
     "record each for templates 2048 and 1024, ending at byte 292 of 292"),
    ("ls-nf9-invalid01", "flows+options", 0, 3,
     "tshark 4.0 stops at the unaligned options template flowset (see "
     "templates): nftop decodes 1 options record and 2 flows"),
    ("pm-112-ipfix-cisco-options", "aggregate", "9 aggregates of data "
     "set 347", 9,
     "the exporter restarts on a new UDP source port (61853 -> 65156) and "
     "sends data sets 347/348/341/313/342 without their templates there; "
     "pmacct reuses template 347 learnt on the old port, but RFC 7011 8.4 "
     "keys UDP templates by Transport Session (exporter address AND port,"
     " reliability.md R7011-15); tshark 4.0 also leaves the 6 sets "
     "undecoded, nftop holds them as waiting (6)"),
    ("pm-500-ipfix-bgp-srv6", "times", "timestamp_start = the export time "
     "of each record's message", 43,
     "pmacct ignores the systemInitTimeMilliseconds the exporter announces "
     "(options template 338: 2023-04-02T00:02:23.826Z) and stamps each "
     "record with its message's export time (43 of 43); RFC 7012 counts "
     "flowStartSysUpTime (IE 22) from that init time, as nftop does "
     "(tshark 4.0: StartTime 3239126.055 s + System Init Time = "
     "1683632869.881, nftop's first)"),
]


def dispute_for(scen, field):
    for d in DISPUTES:
        if d[0] == scen and d[1] == field:
            return d
    return None


# What nftop does not do (yet) that an oracle relies on: (scenario, field,
# reason).  Not an oracle error, so not in DISPUTES: each gets its own
# test, reported to the lead, marked TODO while GAPS_ARE_TODO (set it to
# False to make them fail).  field "count" is the flow record count,
# "records" the presence of each expected record.
GAPS_ARE_TODO = True
_SECTION = "IE 315 dataLinkFrameSection: akvorado parses the sampled " \
    "frame (and IE 312 dataLinkFrameSize for bytes); nftop skips packet " \
    "sections"
GAPS = [
    ("akv-ipfix-datalink", f, _SECTION) for f in (
        "srcip", "dstip", "srcport", "dstport", "proto", "bytes_unscaled",
        "packets_unscaled", "vlan", "src_mac", "dst_mac")
] + [
    ("akv-ipfix-srv6", f, _SECTION + " (and decapsulates SRv6)")
    for f in ("srcip", "dstip", "proto", "bytes_unscaled",
              "packets_unscaled")
] + [
    ("akv-ipfix-evpn-mpls-cw", f, _SECTION + " (EVPN: MPLS with control "
     "word, inner Ethernet)") for f in (
        "srcip", "dstip", "srcport", "dstport", "proto", "bytes_unscaled",
        "packets_unscaled", "tcpflags", "tos", "mpls_top_label", "src_mac",
        "dst_mac")
] + [
    ("akv-ipfix-ipfixprobe-biflow", f, "RFC 5103 biflows: akvorado makes "
     "a second flow of the reverse elements (PEN 29305); nftop skips "
     "enterprise elements, so it has the forward flows only")
    for f in ("count", "records")
]


def gap_for(scen, field):
    for g in GAPS:
        if g[0] == scen and g[1] == field:
            return g
    return None


# --------------------------------------------------------------- TAP

class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def test(self, ok, desc, diag=(), todo=None):
        diag = diag if not ok or todo else ()
        self.n += 1
        line = "%s %d - %s" % ("ok" if ok else "not ok", self.n,
                               desc.replace("#", "\\#"))
        if todo:
            line += " # TODO " + todo.replace("\n", " ")
        print(line)
        if not ok and not todo:
            self.failed += 1
        for d in diag:
            self.diag(d)
        sys.stdout.flush()
        return ok

    @staticmethod
    def diag(msg):
        for line in str(msg).splitlines():
            print("#   " + line)

    def note(self, msg):
        for line in str(msg).splitlines():
            print("# " + line)


# --------------------------------------------------------------- values

def norm_ip(s):
    """An address as nftop prints it; IPv4-mapped IPv6 as dotted quad.
    The unspecified address is '0.0.0.0' in either family: nftop prints
    an absent address as '::' or '0.0.0.0' depending on the member."""
    a = ipaddress.ip_address(str(s).strip())
    if a.version == 6 and a.ipv4_mapped is not None:
        a = a.ipv4_mapped
    if a.is_unspecified:
        return "0.0.0.0"
    return str(a)


def norm_mac(s):
    if isinstance(s, int):
        s = "%012x" % s
    s = str(s).lower().replace(":", "").replace("-", "")
    if s.startswith("0x"):
        s = s[2:]
    s = s.rjust(12, "0")
    return ":".join(s[i:i + 2] for i in range(0, 12, 2))


def iso_ms(s):
    """'2015-10-08T19:03:47.141Z' (any number of fraction digits) to Unix
    milliseconds, truncating below the millisecond."""
    s = str(s).strip().rstrip("Z")
    base, _, frac = s.partition(".")
    dt = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc)
    return int(dt.timestamp()) * 1000 + int((frac + "000")[:3])


ADDR_FIELDS = ("srcip", "dstip", "nexthop", "bgp_nexthop", "xlate_srcip",
               "xlate_dstip", "any_nexthop")
MAC_FIELDS = ("src_mac", "dst_mac")


def norm_field(field, v):
    if v is None:
        return None
    if field in ADDR_FIELDS:
        return norm_ip(v)
    if field in MAC_FIELDS:
        return norm_mac(v)
    if field in ("inif_name", "outif_name"):
        return str(v)
    return int(v)


def nftop_value(rec, field):
    """nftop's value of a member, or of a derived one: counters before
    sampling (for oracles that do not scale), the top MPLS label."""
    if field in ("packets_unscaled", "bytes_unscaled"):
        base = rec[field[:-len("_unscaled")]]
        rate = rec.get("sampling", 1) or 1
        return base // rate if base % rate == 0 else base / rate
    if field == "mpls_top_label":
        return rec["mpls_label"] >> 4
    if field == "any_nexthop":
        nh = norm_ip(rec["nexthop"])
        return nh if nh != "0.0.0.0" else norm_ip(rec["bgp_nexthop"])
    if field not in rec:
        return None
    return norm_field(field, rec[field])


# Compared fields, by group: one TAP test per group and scenario.
GROUPS = [
    ("flow key", ["srcip", "dstip", "srcport", "dstport", "proto"]),
    ("counters", ["packets", "bytes", "packets_unscaled", "bytes_unscaled",
                  "sampling"]),
    ("times", ["first", "last"]),
    ("routing", ["inif", "outif", "srcas", "dstas", "nexthop",
                 "bgp_nexthop", "any_nexthop", "srcmask", "dstmask",
                 "inif_name", "outif_name"]),
    ("header fields", ["tos", "tcpflags", "icmp_type", "icmp_code",
                       "direction", "end_reason", "fwd_status"]),
    ("layer 2", ["src_mac", "dst_mac", "vlan", "mpls_label",
                 "mpls_top_label"]),
    ("NAT", ["xlate_srcip", "xlate_dstip", "xlate_srcport",
             "xlate_dstport"]),
]
GROUP_OF = {f: g for g, fs in GROUPS for f in fs}

# Fields nftop only ever fills from the wire: an oracle that shows every
# field of a record (absent = not exported) implies zero for these.
# (any_nexthop only where the oracle says it has it: akvorado.)
ZERO_WHEN_ABSENT = ["srcas", "dstas", "inif", "outif", "nexthop",
                    "any_nexthop", "bgp_nexthop", "srcmask", "dstmask",
                    "tos", "tcpflags", "direction", "end_reason",
                    "fwd_status", "src_mac", "dst_mac", "vlan", "mpls_label",
                    "xlate_srcip", "xlate_dstip", "xlate_srcport",
                    "xlate_dstport"]
ZERO = {"nexthop": "0.0.0.0", "bgp_nexthop": "0.0.0.0",
        "any_nexthop": "0.0.0.0", "xlate_srcip": "0.0.0.0",
        "xlate_dstip": "0.0.0.0",
        "src_mac": "00:00:00:00:00:00", "dst_mac": "00:00:00:00:00:00"}


def zero_of(field, rec):
    return ZERO.get(field, 0)


class ExpRec:
    """The expected fields of one nftop flow record."""

    def __init__(self, label, index=None, match=None):
        self.label = label
        self.index = index	# position in nftop's --flows output
        self.match = match	# or: {field: value} that picks the record
        self.fields = {}	# nftop field -> expected value
        self.notes = {}		# nftop field -> how it was derived
        self.notcmp = {}	# oracle field -> why it is not compared
        self.full = False	# the oracle lists every field of the record
        self.known = None	# with full: the nftop fields it can have
        self.span = None	# oracle uptime span nftop cannot place

    def set(self, field, value, note=None):
        self.fields[field] = int(value) if field.endswith("_unscaled") \
            or field == "mpls_top_label" else norm_field(field, value)
        if note:
            self.notes[field] = note

    def skip(self, ofield, why):
        self.notcmp[ofield] = why


class Expect:
    """What one scenario (or one test context of it) must produce."""

    def __init__(self, name):
        self.name = name
        self.nocrash = False	# only "must not crash" is documented
        self.count = None	# nftop flow records expected
        self.count_note = ""
        self.records = []	# ExpRec
        self.checks = []	# (description, member | (name, fn), want)
        self.agg = None		# pmacct: (fields, table, renorm, others)
        self.notes = []


# --------------------------------------------------------------- pcap

def ip_checksum(hdr):
    s = 0
    for i in range(0, len(hdr), 2):
        s += hdr[i] << 8 | hdr[i + 1]
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def udp_frame(payload, ident):
    eth = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00"
    udp = struct.pack(">HHHH", 40000, 2055, 8 + len(payload), 0)
    ip = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0,
                               20 + len(udp) + len(payload), ident, 0x4000,
                               64, 17, 0, bytes([127, 0, 0, 1]),
                               bytes([127, 0, 0, 1])))
    ip[10:12] = struct.pack(">H", ip_checksum(bytes(ip)))
    return eth + bytes(ip) + udp + payload


T0 = 1700000000		# frame times: T0, T0 + 1 ms, ...


def pcap_write(path, linktype, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                            linktype))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", T0 + i // 1000, i % 1000 * 1000,
                                len(fr), len(fr)))
            f.write(fr)


def pcap_read(path):
    """(linktype, [frame bytes]) of a classic pcap (either byte order)."""
    d = open(path, "rb").read()
    magic = d[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise ValueError("%s: not a classic pcap" % path)
    linktype = struct.unpack(e + "I", d[20:24])[0]
    off, frames = 24, []
    while off + 16 <= len(d):
        _, _, cl, _ = struct.unpack(e + "IIII", d[off:off + 16])
        frames.append(d[off + 16:off + 16 + cl])
        off += 16 + cl
    return linktype, frames


def frame_udp(linktype, fr):
    """(source address, source port, UDP payload) of a frame, or None."""
    if linktype == 1:
        off, et = 12, None
        while True:
            et = struct.unpack(">H", fr[off:off + 2])[0]
            off += 2
            if et in (0x8100, 0x88a8):
                off += 2
                continue
            break
    elif linktype == 113:
        et, off = struct.unpack(">H", fr[14:16])[0], 16
    else:
        return None
    if et == 0x0800:
        ihl = (fr[off] & 15) * 4
        if fr[off + 9] != 17:
            return None
        src = str(ipaddress.IPv4Address(fr[off + 12:off + 16]))
        u = off + ihl
    elif et == 0x86dd:
        if fr[off + 6] != 17:
            return None
        src = str(ipaddress.IPv6Address(fr[off + 8:off + 24]))
        u = off + 40
    else:
        return None
    sport, _, ulen = struct.unpack(">HHH", fr[u:u + 6])
    return src, sport, fr[u + 8:u + ulen]


def build_input(corpus, files, out):
    """Write the scenario's input pcap; returns [(exporter, port,
    payload)] of its export datagrams, in order, for the walker."""
    if all(f.endswith(".pcap") for f in files):
        frames, lt = [], None
        for f in files:
            t, fr = pcap_read(os.path.join(corpus, f))
            if lt is not None and t != lt:
                raise ValueError("%s: link type %d, not %d" % (f, t, lt))
            lt = t
            frames += fr
        if len(files) == 1:
            out = os.path.join(corpus, files[0])	# used as it is
        else:
            pcap_write(out, lt, frames)
        dgrams = [u for u in (frame_udp(lt, fr) for fr in frames)
                  if u is not None and len(u[2]) >= 4 and
                  u[2][:2] in (b"\x00\x09", b"\x00\x0a")]
        return out, dgrams
    payloads = [open(os.path.join(corpus, f), "rb").read() for f in files]
    pcap_write(out, 1, [udp_frame(p, i) for i, p in enumerate(payloads)])
    return out, [("127.0.0.1", 40000, p) for p in payloads]


# --------------------------------------------------------------- walker

class Walker:
    """Lists the data records of v9/IPFIX datagrams in wire order, with
    their kind (options or not), as a collector that drops data without
    a template sees them (logstash does).  Only to align oracle events
    with nftop's flow records; it trusts the input."""

    def __init__(self):
        self.tmpl = {}		# (exporter, port, domain, id) -> (lens, opt)
        self.records = []	# [(datagram, set id, is options, raw)]

    def feed(self, n, exporter, port, p):
        ver = struct.unpack(">H", p[:2])[0]
        if ver == 9:
            domain, off, end = struct.unpack(">I", p[16:20])[0], 20, len(p)
            tset, oset = 0, 1
        else:
            ln = struct.unpack(">H", p[2:4])[0]
            domain, off, end = struct.unpack(">I", p[12:16])[0], 16, ln
            tset, oset = 2, 3
        while off + 4 <= end:
            sid, slen = struct.unpack(">HH", p[off:off + 4])
            if slen < 4:
                break
            body = p[off + 4:off + slen]
            if sid == tset or sid == oset:
                self.templates(ver, body, sid == oset,
                               (exporter, port, domain))
            elif sid >= 256:
                t = self.tmpl.get((exporter, port, domain, sid))
                if t is not None:
                    for raw in self.data(t[0], body):
                        self.records.append((n, sid, t[1], raw))
            off += slen

    def templates(self, ver, b, opt, key):
        o = 0
        while o + 4 <= len(b):
            tid, cnt = struct.unpack(">HH", b[o:o + 4])
            o += 4
            lens = []
            if ver == 9:
                if opt:
                    olen = struct.unpack(">H", b[o:o + 2])[0]
                    o += 2
                    nf = (cnt + olen) // 4
                else:
                    nf = cnt
                for _ in range(nf):
                    lens.append(struct.unpack(">HH", b[o:o + 4]))
                    o += 4
            else:
                if cnt == 0:
                    continue
                if opt:
                    o += 2
                for _ in range(cnt):
                    fid, flen = struct.unpack(">HH", b[o:o + 4])
                    o += 4
                    if fid & 0x8000:
                        o += 4
                    lens.append((fid, flen))
            if tid >= 256 and lens:
                self.tmpl[key + (tid,)] = ([l for _, l in lens], opt)

    @staticmethod
    def data(lens, b):
        minlen = sum(1 if l == 0xffff else l for l in lens)
        o, out = 0, []
        while minlen > 0 and len(b) - o >= minlen:
            s = o
            for l in lens:
                if l == 0xffff:
                    l = b[o]
                    o += 1
                    if l == 255:
                        l = struct.unpack(">H", b[o:o + 2])[0]
                        o += 2
                o += l
            if o > len(b):
                break
            out.append(b[s:o])
        return out


# --------------------------------------------------------------- nftop

EXPORT_PROTOCOLS = ("netflow-v9", "ipfix")


class Run:
    def __init__(self, nftop, pcap):
        fl = subprocess.run([nftop, "--batch", "--read", pcap, "--flows",
                             "--format", "json"], capture_output=True,
                            text=True, timeout=60)
        rp = subprocess.run([nftop, "--batch", "--read", pcap, "--format",
                             "json"], capture_output=True, text=True,
                            timeout=60)
        self.rc = (fl.returncode, rp.returncode)
        self.stderr = (fl.stderr + rp.stderr).strip()
        # --read also meters packets that are not exports (pmacct 500's
        # BGP session): those records and their source are not ours.
        self.flows, self.metered = [], 0
        for line in fl.stdout.splitlines():
            if line.strip():
                rec = json.loads(line)
                if rec.get("protocol") in EXPORT_PROTOCOLS:
                    self.flows.append(rec)
                else:
                    self.metered += 1
        self.report = None
        lines = [l for l in rp.stdout.splitlines() if l.strip()]
        if lines:
            self.report = json.loads(lines[-1])
        self.sources = [s for s in self.report["sources"]
                        if s.get("protocol") in EXPORT_PROTOCOLS] \
            if self.report else []

    def total(self, member):
        return sum(s.get(member, 0) for s in self.sources)

    def malformed_by(self):
        out = {}
        for s in self.sources:
            for k, v in s.get("malformed_by", {}).items():
                if v:
                    out[k] = out.get(k, 0) + v
        return out


# --------------------------------------------------------------- manifest

class Scenario:
    def __init__(self, name, text):
        self.name = name
        self.protocol = re.search(r"^- protocol: (.*)$", text, re.M).group(1)
        self.files = re.findall(r"`([^`]+)`", re.search(
            r"^- files[^:]*:(.*)$", text, re.M).group(1))
        ev = re.search(r"^- expected values: (.*)$", text, re.M).group(1)
        self.expected = re.findall(r"`([^`]+)`", ev)
        m = re.search(r"^- notes: (.*)$", text, re.M)
        self.notes = m.group(1) if m else ""
        m = re.search(r"^- tshark[^:]*: (.*)$", text, re.M)
        self.tshark = m.group(1) if m else ""


def manifest(corpus):
    text = open(os.path.join(corpus, "MANIFEST.md")).read()
    out = []
    for sec in re.split(r"^### ", text, flags=re.M)[1:]:
        name = sec.split("\n", 1)[0].strip()
        s = Scenario(name, sec)
        if s.protocol in ("NetFlow v9", "IPFIX"):
            out.append(s)
    return out


# --------------------------------------------------------------- logstash

# Files a logstash spec names that the corpus keeps under another name
# (MANIFEST: "Byte-identical duplicates kept once").
LS_ALIASES = {"netflow9_test_softflowd_tpl_data.dat":
              "netflow9_test_valid01.dat"}

# logstash field -> nftop field, for values taken as they are.
LS_DIRECT = {
    "ipv4_src_addr": "srcip", "ipv6_src_addr": "srcip",
    "sourceIPv4Address": "srcip", "sourceIPv6Address": "srcip",
    "ipv4_dst_addr": "dstip", "ipv6_dst_addr": "dstip",
    "destinationIPv4Address": "dstip", "destinationIPv6Address": "dstip",
    "l4_src_port": "srcport", "sourceTransportPort": "srcport",
    "l4_dst_port": "dstport", "destinationTransportPort": "dstport",
    "protocol": "proto", "protocolIdentifier": "proto",
    "src_tos": "tos", "ipClassOfService": "tos",
    "tcp_flags": "tcpflags", "tcpControlBits": "tcpflags",
    "input_snmp": "inif", "ingressInterface": "inif",
    "output_snmp": "outif", "egressInterface": "outif",
    "src_as": "srcas", "bgpSourceAsNumber": "srcas",
    "dst_as": "dstas", "bgpDestinationAsNumber": "dstas",
    "ipv4_next_hop": "nexthop", "ipv6_next_hop": "nexthop",
    "ipNextHopIPv4Address": "nexthop", "ipNextHopIPv6Address": "nexthop",
    "bgp_ipv4_next_hop": "bgp_nexthop", "bgpNextHopIPv4Address":
    "bgp_nexthop",
    "src_mask": "srcmask", "ipv6_src_mask": "srcmask",
    "sourceIPv4PrefixLength": "srcmask",
    "dst_mask": "dstmask", "ipv6_dst_mask": "dstmask",
    "destinationIPv4PrefixLength": "dstmask",
    "icmp_type": "icmp_type", "icmp_code": "icmp_code",
    "src_vlan": "vlan", "vlanId": "vlan",
    "in_src_mac": "src_mac", "sourceMacAddress": "src_mac",
    "in_dst_mac": "dst_mac", "destinationMacAddress": "dst_mac",
    "direction": "direction", "flowDirection": "direction",
    "flowEndReason": "end_reason",
    "xlate_src_addr_ipv4": "xlate_srcip",
    "postNATSourceIPv4Address": "xlate_srcip",
    "xlate_dst_addr_ipv4": "xlate_dstip",
    "postNATDestinationIPv4Address": "xlate_dstip",
    "xlate_src_port": "xlate_srcport",
    "postNAPTSourceTransportPort": "xlate_srcport",
    "xlate_dst_port": "xlate_dstport",
    "postNAPTDestinationTransportPort": "xlate_dstport",
}
# Counters: nftop's delta counter, else total, else egress (tmpl_flow).
LS_BYTES = [("in_bytes", "octetDeltaCount", "initiatorOctets"),
            ("in_permanent_bytes", "octetTotalCount"),
            ("out_bytes", "postOctetDeltaCount", "responderOctets")]
LS_PKTS = [("in_pkts", "packetDeltaCount", "initiatorPackets"),
           ("in_permanent_pkts", "packetTotalCount"),
           ("out_pkts", "postPacketDeltaCount", "responderPackets")]
# Times in the order nftop prefers them (tmpl_times), per end.
LS_FIRST = ["first_switched", "flowStartSeconds", "flow_start_msec",
            "flowStartMilliseconds", "flowStartMicroseconds",
            "flowStartNanoseconds", "flowStartSysUpTime"]
LS_LAST = ["last_switched", "flowEndSeconds", "flow_end_msec",
           "flowEndMilliseconds", "flowEndMicroseconds",
           "flowEndNanoseconds", "flowEndSysUpTime"]
LS_OBS = ["event_time_msec", "observationTimeMilliseconds"]
LS_INFO = {"version", "flow_seq_num", "flowset_id", "ip_protocol_version",
           "ipVersion", "@timestamp", "@version"}


def ls_time(name, v, sysinit):
    """A logstash time field as Unix ms, or None when it cannot be made
    absolute."""
    if name in ("flowStartSeconds", "flowEndSeconds"):
        return int(v) * 1000
    if name in ("flow_start_msec", "flow_end_msec", "event_time_msec",
                "observationTimeMilliseconds"):
        return int(v)
    if name in ("flowStartSysUpTime", "flowEndSysUpTime"):
        return None if sysinit is None else sysinit + int(v)
    return iso_ms(v)


def ls_record(ev, full, label, index, ts_ms, sysinit):
    """Translate one logstash flow event into nftop's fields."""
    r = ExpRec(label, index)
    r.full = full
    used = set()
    for k, v in ev.items():
        if k in LS_DIRECT:
            f = LS_DIRECT[k]
            if f in r.fields and f in ("src_mac", "dst_mac"):
                continue
            r.set(f, v)
            used.add(k)
    # Post (egress) MACs fill the record's MACs only when the pre ones
    # are not exported (IE 81/57 after 56/80 in ie.c).
    for k, f in (("out_src_mac", "src_mac"), ("out_dst_mac", "dst_mac")):
        if k in ev:
            used.add(k)
            if f not in r.fields:
                r.set(f, ev[k], "from %s (no %s exported)" % (k, f))
    if "forwarding_status" in ev:
        fs = ev["forwarding_status"]
        r.set("fwd_status", (fs["status"] << 6) | fs["reason"],
              "status<<6|reason of %r" % (fs,))
        used.add("forwarding_status")
    for k in ("icmpTypeCodeIPv4", "icmpTypeCodeIPv6"):
        if k in ev:
            r.set("icmp_type", int(ev[k]) >> 8, "%s>>8" % k)
            r.set("icmp_code", int(ev[k]) & 255, "%s&255" % k)
            used.add(k)
    for fld, alts in (("bytes_unscaled", LS_BYTES),
                      ("packets_unscaled", LS_PKTS)):
        for names in alts:
            hit = [n for n in names if n in ev]
            if hit:
                r.set(fld, ev[hit[0]], "from %s" % hit[0])
                used.add(hit[0])
                break
        for names in alts:
            for n in names:
                if n in ev and n not in used:
                    used.add(n)
                    r.skip(n, "nftop keeps one counter: %s wins" %
                           r.notes.get(fld, "?")[5:])
    for k in ("sampling_interval", "samplingInterval"):
        if k in ev:
            r.set("sampling", max(int(ev[k]), 1),
                  "the record's %s (0 = unsampled)" % k)
            used.add(k)
    times = {}
    for end, names in (("first", LS_FIRST), ("last", LS_LAST)):
        for n in names:
            if n not in ev:
                continue
            used.add(n)
            ms = ls_time(n, ev[n], sysinit)
            if ms is None:
                r.skip(n, "sysUpTime-relative and no "
                       "systemInitTimeMilliseconds in this input: not an "
                       "absolute time")
                continue
            if end not in times:
                times[end] = (ms, n)
    if sysinit is None and "flowStartSysUpTime" in ev and \
            "flowEndSysUpTime" in ev:
        r.span = int(ev["flowEndSysUpTime"]) - int(ev["flowStartSysUpTime"])
    for n in LS_OBS:
        if n in ev:
            used.add(n)
            for end in ("first", "last"):
                if end not in times:
                    times[end] = (int(ev[n]), n + " (observation time)")
    if full and ("first" in times) != ("last" in times):
        # nftop: a record with one time uses it for both ends.
        have = times.get("first") or times.get("last")
        times.setdefault("first", have)
        times.setdefault("last", have)
    if full and not times and not any(n in ev for n in LS_FIRST + LS_LAST):
        times["first"] = times["last"] = (ts_ms, "@timestamp (export "
                                          "time; the record has no time)")
    for end, (ms, n) in times.items():
        r.set(end, ms, "from %s" % n)
    icmp_fixups(r)
    for k in ev:
        if k not in used:
            r.skip(k, "informational" if k in LS_INFO else
                   "nftop has no such field")
    return r


def icmp_fixups(r):
    """nftop keeps ICMP type<<8|code in dstport (the nfdump convention)
    and reads type and code from dstport when no ICMP field is sent."""
    if r.fields.get("proto") not in (1, 58):
        return
    if "icmp_type" in r.fields:
        v = r.fields["icmp_type"] << 8 | r.fields.get("icmp_code", 0)
        if r.fields.get("dstport") != v:
            r.set("dstport", v, "ICMP type<<8|code (oracle dstport %s)" %
                  r.fields.get("dstport"))
    elif "dstport" in r.fields:
        r.set("icmp_type", r.fields["dstport"] >> 8, "dstport>>8")
        r.set("icmp_code", r.fields["dstport"] & 255, "dstport&255")


def ls_sections(path):
    """Parse a logstash expected file into its test contexts."""
    text = open(path).read()
    out = []
    for part in re.split(r"^(?=# Expected decode)", text, flags=re.M):
        if not part.startswith("# Expected decode"):
            continue
        sec = {"context": "", "inputs": [], "count": None, "nocrash": False,
               "events": {}, "full": set(), "json": {}, "asserts": []}
        m = re.search(r"^# Test context: (.*)$", part, re.M)
        sec["context"] = m.group(1).strip() if m else ""
        lines = part.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("# Input:"):
                names = re.findall(r"(\w[\w.-]*\.(?:dat|bin))", line)
                if not names:
                    for nxt in lines[i + 1:]:
                        m = re.match(r"^#   (\S+\.(?:dat|bin))\s*$", nxt)
                        if not m:
                            break
                        names.append(m.group(1))
                sec["inputs"] = [LS_ALIASES.get(n, n) for n in names]
        for m in re.finditer(r"^\[expected_event_json (\d+)\]([^\n]*)\n"
                             r"(\{.*?\n\})", part, re.M | re.S):
            if "not an event" in m.group(2):
                continue
            sec["json"][int(m.group(1))] = json.loads(m.group(3))
        am = re.search(r"^\[assertions\]\n(.*?)(?:\n\s*\n|\Z)", part,
                       re.M | re.S)
        for line in (am.group(1).splitlines() if am else []):
            line = line.strip()
            m = re.match(r"decoded_event_count == (\d+)", line)
            if m:
                sec["count"] = int(m.group(1))
                continue
            if "must not raise an error" in line:
                sec["nocrash"] = True
                continue
            m = re.match(r"event\[(\d+)\] == expected_event_json\[(\d+)\]",
                         line)
            if m:
                j = sec["json"].get(int(m.group(2)))
                if j is not None:
                    ev = sec["events"].setdefault(int(m.group(1)), {})
                    for k, v in j.get("netflow", {}).items():
                        ev.setdefault(k, v)
                    ev.setdefault("@timestamp", j.get("@timestamp"))
                    sec["full"].add(int(m.group(1)))
                continue
            m = re.match(r"event\[(\d+)\]\.netflow\.(\w+) == (.*)$", line)
            if m:
                raw = m.group(3).strip()
                q = re.match(r"""^(['"])(.*?)\1""", raw)
                if q:
                    v = q.group(2)
                else:
                    v = json.loads(re.match(r"^-?[\d.]+", raw).group(0))
                ev = sec["events"].setdefault(int(m.group(1)), {})
                # First assertion wins: the Logstash >= 8 value comes
                # first where a file gives two.
                ev.setdefault(m.group(2), v)
        out.append(sec)
    return out


def expect_logstash(scen, sec, walker, run):
    e = Expect(scen.name)
    if sec["nocrash"]:
        e.nocrash = True
        return e
    recs = walker.records
    if sec["count"] is not None and len(recs) != sec["count"]:
        e.notes.append("payload walker finds %d data records, logstash %d"
                       " events: alignment may be off" % (len(recs),
                                                          sec["count"]))
    nopt = sum(1 for r in recs[:sec["count"] or len(recs)] if r[2])
    if sec["count"] is not None:
        e.count = sec["count"] - nopt
        e.count_note = "logstash's %d events less %d options-data " \
            "record(s)" % (sec["count"], nopt)
        e.checks.append(("options-data records counted (logstash events "
                         "that are options data)", "options_records", nopt))
    sysinit = None
    for i, ev in sec["events"].items():
        if "systemInitTimeMilliseconds" in ev and i < len(recs) and \
                recs[i][2]:
            sysinit = int(ev["systemInitTimeMilliseconds"])
    for i in sorted(sec["events"]):
        ev = sec["events"][i]
        if i >= len(recs):
            e.notes.append("event[%d]: beyond the %d data records the "
                           "walker found" % (i, len(recs)))
            continue
        if recs[i][2]:
            e.notes.append("event[%d] is an options-data record (set %d):"
                           " no flow record; fields %s" % (
                               i, recs[i][1], ", ".join(sorted(ev))))
            continue
        idx = sum(1 for r in recs[:i] if not r[2])
        ts = iso_ms(ev["@timestamp"]) if ev.get("@timestamp") else None
        e.records.append(ls_record(ev, i in sec["full"], "event[%d]" % i,
                                   idx, ts, sysinit))
    return e



# --------------------------------------------------------------- telegraf

PROTO_NAMES = {"icmp": 1, "igmp": 2, "ipv4": 4, "tcp": 6, "udp": 17,
               "ipv6": 41, "gre": 47, "esp": 50, "ah": 51, "icmpv6": 58,
               "ipv6-icmp": 58, "ospf": 89, "pim": 103, "vrrp": 112,
               "sctp": 132}
END_REASONS = {"idle timeout": 1, "active timeout": 2, "end of flow": 3,
               "forced end": 4, "lack of resources": 5}
FWD_STATUS = {"unknown": 0, "forwarded": 1, "dropped": 2, "consumed": 3}


def tcpflags_str(s):
    """'...AP...' (CWR ECE URG ACK PSH RST SYN FIN, '.' unset) to bits."""
    bits = 0
    for i, ch in enumerate(reversed(s)):
        if ch != ".":
            bits |= 1 << i
    return bits


def line_protocol(text):
    """InfluxDB line protocol to [(measurement, tags, fields)]."""
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head, rest = re.match(r"^((?:[^ \\]|\\.)+) (.*)$", line).groups()
        parts = head.split(",")
        tags = dict(p.split("=", 1) for p in parts[1:])
        fields, i = {}, 0
        while i < len(rest) and rest[i] != " ":
            m = re.match(r'([^=]+)=("(?:[^"\\]|\\.)*"|[^, ]+)', rest[i:])
            k, v = m.group(1), m.group(2)
            i += m.end()
            if v.startswith('"'):
                v = v[1:-1].replace('\\"', '"')
            elif re.match(r"^-?\d+[ui]$", v):
                v = int(v[:-1])
            elif v in ("true", "false"):
                v = v == "true"
            else:
                try:
                    v = float(v) if "." in v else int(v)
                except ValueError:
                    pass
            fields[k] = v
            if i < len(rest) and rest[i] == ",":
                i += 1
        out.append((parts[0], tags, fields))
    return out


TEL_DIRECT = {"src": "srcip", "dst": "dstip", "src_port": "srcport",
              "dst_port": "dstport", "in_snmp": "inif", "out_snmp": "outif",
              "icmp_type": "icmp_type", "icmp_code": "icmp_code",
              "vlan_src": "vlan", "src_as": "srcas", "dst_as": "dstas",
              "next_hop": "nexthop", "src_mask": "srcmask",
              "dst_mask": "dstmask", "flow_start_ms": "first",
              "flow_end_ms": "last"}


def tel_record(f, label, index):
    r = ExpRec(label, index)
    r.full = True	# telegraf prints every field of the template
    used = set()
    for k, v in f.items():
        if k in TEL_DIRECT:
            r.set(TEL_DIRECT[k], v)
            used.add(k)
    if "protocol" in f:
        p = f["protocol"]
        r.set("proto", PROTO_NAMES[p] if p in PROTO_NAMES else int(p),
              "protocol %r" % p)
        used.add("protocol")
    for k, fld in (("in_bytes", "bytes_unscaled"),
                   ("in_total_bytes", "bytes_unscaled"),
                   ("in_packets", "packets_unscaled"),
                   ("in_total_packets", "packets_unscaled")):
        if k in f and fld not in r.fields:
            r.set(fld, f[k], "from %s" % k)
            used.add(k)
    if "src_tos" in f:
        r.set("tos", int(str(f["src_tos"]), 16), "src_tos %s" % f["src_tos"])
        used.add("src_tos")
    if "tcp_flags" in f:
        r.set("tcpflags", tcpflags_str(f["tcp_flags"]), "tcp_flags %r" %
              f["tcp_flags"])
        used.add("tcp_flags")
    if "flow_end_reason" in f and f["flow_end_reason"] in END_REASONS:
        r.set("end_reason", END_REASONS[f["flow_end_reason"]],
              "flow_end_reason %r" % f["flow_end_reason"])
        used.add("flow_end_reason")
    if f.get("fwd_status") in FWD_STATUS and f.get("fwd_reason") == \
            "unknown":
        r.set("fwd_status", FWD_STATUS[f["fwd_status"]] << 6,
              "fwd_status %r, fwd_reason 'unknown'" % f["fwd_status"])
        used |= {"fwd_status", "fwd_reason"}
    icmp_fixups(r)
    for k in f:
        if k not in used:
            r.skip(k, "enterprise or unknown element, printed raw" if
                   k.startswith("type_") else "nftop has no such field")
    return r


def expect_telegraf(scen, path, run):
    e = Expect(scen.name)
    lines = line_protocol(open(path).read())
    flows = [(m, t, f) for m, t, f in lines if m == "netflow"]
    opts = [(m, t, f) for m, t, f in lines if m == "netflow_options"]
    e.count = len(flows)
    e.count_note = "telegraf's netflow lines (options records are " \
        "netflow_options lines)"
    e.checks.append(("options-data records counted (telegraf's "
                     "netflow_options lines)", "options_records", len(opts)))
    for i, (_, _, f) in enumerate(flows):
        e.records.append(tel_record(f, "line %d" % (i + 1), i))
    return e



# --------------------------------------------------------------- akvorado

AKV_PROTO = {"ProtoTCP": 6, "ProtoUDP": 17, "ProtoICMPv4": 1,
             "ProtoICMPv6": 58, "ProtoIPv4": 4}
AKV_DIRECTION = {"DirectionIngress": 0, "DirectionEgress": 1}
AKV_DIRECT = {"SrcAddr": "srcip", "DstAddr": "dstip",
              "InIf": "inif", "OutIf": "outif", "SrcNetMask": "srcmask",
              "DstNetMask": "dstmask", "SrcAS": "srcas", "DstAS": "dstas",
              "SrcVlan": "vlan", "SrcPort": "srcport", "DstPort": "dstport",
              "ForwardingStatus": "fwd_status", "TCPFlags": "tcpflags",
              "IPTos": "tos", "SrcMAC": "src_mac", "DstMAC": "dst_mac",
              "ICMPv4Type": "icmp_type", "ICMPv6Type": "icmp_type",
              "ICMPv4Code": "icmp_code", "ICMPv6Code": "icmp_code",
              "Bytes": "bytes_unscaled", "Packets": "packets_unscaled"}
# What akvorado's flow message has at all: only those are implied zero
# when a flow does not list them.
AKV_KNOWS = {"srcas", "dstas", "inif", "outif", "any_nexthop", "srcmask",
             "dstmask", "tos", "tcpflags", "direction", "fwd_status",
             "src_mac", "dst_mac", "vlan", "mpls_label"}


def akv_value(v):
    v = v.strip()
    if v in AKV_PROTO:
        return AKV_PROTO[v]
    if v in AKV_DIRECTION:
        return AKV_DIRECTION[v]
    if v == "ETypeIPv4":
        return 0x0800
    if v == "ETypeIPv6":
        return 0x86dd
    if re.match(r"^0x[0-9a-fA-F]+$", v):
        return int(v, 16)
    if re.match(r"^-?\d+$", v):
        return int(v)
    return v


def akv_flow(lines):
    """Indented 'Key: value' lines (OtherColumns flattened, lists as
    Python lists) to a dict."""
    out, lastkey = {}, None
    for line in lines:
        t = line.strip()
        if not t or t.startswith("#"):
            continue
        if t.startswith("- "):
            out.setdefault(lastkey, []).append(akv_value(t[2:]))
            continue
        k, _, v = t.partition(":")
        lastkey = k.strip()
        if v.strip():
            out[lastkey] = akv_value(v)
    out.pop("OtherColumns", None)
    return out


def akv_tests(path):
    """The == Test == blocks of an akvorado expected file."""
    text = open(path).read()
    out = []
    for m in re.finditer(r"^== (\S+)[^\n]*==\n(.*?)(?=^== |\Z)", text,
                         re.M | re.S):
        body = m.group(2)
        t = {"name": m.group(1), "inputs": [], "flows": [], "check": "",
             "metrics": {}, "options": [], "body": body}
        t["inputs"] = re.findall(r"^INPUT \(decoded in this order\): (\S+)",
                                 body, re.M)
        t["options"] = re.findall(r"^decoder options?: (.*)$", body, re.M)
        fm = re.search(r"^expectedFlows:\n(.*?)(?=^\S)", body, re.M | re.S)
        if fm:
            for blk in re.split(r"^  \[\d+\]\n", fm.group(1),
                                flags=re.M)[1:]:
                t["flows"].append(akv_flow(blk.splitlines()))
        f4 = re.search(r"^expectedFlow(\d+):\n(.*?)(?=^\S|\Z)", body,
                       re.M | re.S)
        if f4:
            t["flow_n"] = int(f4.group(1))
            t["flows"] = [akv_flow(f4.group(2).splitlines())]
        cm = re.search(r"^CHECK: decoded flows (.*)$", body, re.M)
        t["check"] = cm.group(1) if cm else ""
        for mm in re.finditer(r"^expectedMetrics:\n((?:  .*\n?)*)", body,
                              re.M):
            t["metrics"] = {}
            for ml in mm.group(1).splitlines():
                k, _, v = ml.strip().rpartition(":")
                t["metrics"][k.strip()] = int(v)
        out.append(t)
    return out


def akv_record(fl, label, index=None, match=None):
    r = ExpRec(label, index, match)
    r.full = True
    for k, v in fl.items():
        if k in AKV_DIRECT:
            r.set(AKV_DIRECT[k], v)
        elif k == "Proto":
            r.set("proto", v)
        elif k == "NextHop":
            r.set("any_nexthop", v, "akvorado's NextHop is the last of "
                  "IEs 15/18/62/63 in the template: nftop's nexthop, or "
                  "its bgp_nexthop when there is no nexthop")
        elif k == "FlowDirection":
            r.set("direction", v, k)
        elif k == "SamplingRate":
            r.set("sampling", max(int(v), 1), "SamplingRate %s (0 = "
                  "none)" % v)
        elif k == "MPLSLabels":
            r.set("mpls_top_label", v[0], "MPLSLabels %s: the top label" %
                  v)
        elif k == "ExporterAddress":
            r.skip(k, "the test's fake exporter address (MANIFEST)")
        else:
            r.skip(k, "nftop has no such field")
    if "sampling" not in r.fields:
        r.set("sampling", 1, "no SamplingRate: none")
    icmp_fixups(r)
    r.known = AKV_KNOWS
    return r


def akv_metrics_checks(e, metrics):
    """akvorado's counters that have an nftop equivalent."""
    tot = {}
    for k, v in metrics.items():
        name = k.split("{")[0]
        typ = re.search(r'type="([^"]*)"', k)
        key = (name, typ.group(1) if typ else None)
        tot[key] = tot.get(key, 0) + v
    if ("packets_total", None) in tot:
        e.checks.append(("datagrams (akvorado packets_total)",
                         "datagrams", tot[("packets_total", None)]))
    n = sum(v for (nm, _), v in tot.items() if nm == "templates_total")
    if n:
        e.checks.append(("templates installed (akvorado templates_total)",
                         "templates", n))
    for typ, member in (("OptionsDataFlowSet", "options_records"),):
        if ("records_total", typ) in tot:
            e.checks.append(("options-data records (akvorado records_total"
                             " %s)" % typ, member, tot[("records_total",
                                                        typ)]))
    if ("records_total", "DataFlowSet") in tot:
        e.count = tot[("records_total", "DataFlowSet")]
        e.count_note = "akvorado records_total DataFlowSet"


def expect_akvorado(scen, t, run):
    e = Expect(scen.name)
    if t["name"] == "TestDecodeNonEncap":
        return None	# a decapsulation option nftop does not have
    akv_metrics_checks(e, t["metrics"])
    body = t["body"]
    if "flow_n" in t:
        e.count = int(re.search(r"exactly (\d+) decoded flows",
                                body).group(1))
        e.count_note = "the akvorado test requires it"
        e.records.append(akv_record(t["flows"][0], "flow %d" %
                                    t["flow_n"], t["flow_n"] - 1))
        return e
    fs = re.search(r"^expectedFirstSwitched:\n((?:  - \d+\n)+)", body,
                   re.M)
    if fs:
        # akvorado: TimeReceived = packetTS - (sysUptime - first) / 1000
        up = int(re.search(r"sysUptime uint32 = (\d+)", body).group(1))
        ts = int(re.search(r"packetTS uint32 = (\d+)", body).group(1))
        for i, v in enumerate(re.findall(r"\d+", fs.group(1))):
            r = ExpRec("flow[%d]" % i, i)
            r.set("first", ts * 1000 - (up - int(v)), "packetTS %d s - "
                  "(sysUptime %d - FIRST_SWITCHED %s) ms" % (ts, up, v))
            e.records.append(r)
        e.count = len(e.records)
        e.count_note = "expectedFirstSwitched"
        return e
    if "expectedTS:" in body:
        e.notes.append("akvorado stamps flows with the packet's export "
                       "time (expectedTS): nftop's receive time is not in "
                       "its records")
    if "expectedFlows = []" in body:
        e.count = 0
        e.count_note = "no flows without the template"
        e.checks.append(("the data set waits for its template",
                         "waiting", 1))
        return e
    if re.search(r"expect(ed)? NO flows|expected: no flows", body) and \
            not t["flows"]:
        e.count = 0
    if t["flows"]:
        m = re.match(r"\[:(\d+)\]", t["check"])
        if m:
            e.notes.append("akvorado compares the first %s flow(s) only" %
                           m.group(1))
        elif e.count is None:
            e.count = len(t["flows"])
            e.count_note = "akvorado's expectedFlows (%s)" % t["check"]
        ordered = "order-insensitive" not in t["check"]
        for i, fl in enumerate(t["flows"]):
            if ordered:
                e.records.append(akv_record(fl, "flow[%d]" % i, i))
            else:
                key = {f: norm_field(f, fl[k]) for k, f in
                       (("SrcAddr", "srcip"), ("DstAddr", "dstip"),
                        ("SrcPort", "srcport"), ("DstPort", "dstport"))
                       if k in fl}
                e.records.append(akv_record(fl, "flow[%d]" % i,
                                            match=key))
    return e



# --------------------------------------------------------------- pmacct

PM_TCPFLAGS = {"FIN": 1, "SYN": 2, "RST": 4, "PSH": 8, "ACK": 16, "URG": 32,
               "ECE": 64, "CWR": 128}
PM_FWD = {"UNKNOWN": 0, "FORWARDED": 1, "DROPPED": 2, "CONSUMED": 3}
PM_FWD_REASON = {("UNKNOWN", "Unclassified"): 0,
                 ("FORWARDED", "Unknown"): 0x40,
                 ("FORWARDED", "Fragmented"): 0x41,
                 ("FORWARDED", "Not Fragmented"): 0x42,
                 ("DROPPED", "Unknown"): 0x80,
                 ("CONSUMED", "Unknown"): 0xc0,
                 ("CONSUMED", "Punt Adjacency"): 0xc1,
                 ("CONSUMED", "Incomplete Adjacency"): 0xc2,
                 ("CONSUMED", "For us"): 0xc3}
# pmacct primitive -> (its JSON member, nftop field)
PM_PRIMS = {"src_host": ("ip_src", "srcip"), "dst_host": ("ip_dst", "dstip"),
            "src_port": ("port_src", "srcport"),
            "dst_port": ("port_dst", "dstport"),
            "proto": ("ip_proto", "proto"), "tos": ("tos", "tos"),
            "in_iface": ("iface_in", "inif"),
            "out_iface": ("iface_out", "outif"),
            "tcpflags": ("tcp_flags", "tcpflags"),
            "fwd_status": ("fwd_status", "fwd_status"),
            "src_mask": ("mask_src", "srcmask"),
            "dst_mask": ("mask_dst", "dstmask"),
            "mpls_label_stack": ("mpls_label_stack", "mpls_top_label"),
            "timestamp_start": ("timestamp_start", "first_s"),
            "timestamp_end": ("timestamp_end", "last_s"),
            "in_iface_name": ("iface_name_in", "inif_name"),
            "out_iface_name": ("iface_name_out", "outif_name")}


def pm_value(field, v):
    if field == "proto":
        return PROTO_NAMES[v] if v in PROTO_NAMES else int(v)
    if field == "tcpflags":
        bits = 0
        for f in v:
            bits |= PM_TCPFLAGS[f]
        return bits
    if field == "fwd_status":
        st, _, why = v.partition(" ")
        return PM_FWD_REASON.get((st, why), PM_FWD[st] << 6)
    if field == "mpls_top_label":
        return int(v[0].split("-", 1)[1]) if v else 0
    if field in ("first_s", "last_s"):
        return int(float(v))
    if field in ("inif_name", "outif_name"):
        return v
    return norm_field(field, v)


def pm_secs(rec, end):
    """nftop's ms as pmacct's whole seconds (timestamps_secs: true).  For
    v9 pmacct computes unix_secs - (sysUptime - stamp) / 1000 in integer
    arithmetic (src/nfv9_template.c), which is the ceiling of the exact
    time; absolute IPFIX times are truncated."""
    ms = rec[end]
    if rec.get("protocol") == "netflow-v9":
        return -(-ms // 1000)
    return ms // 1000


def pm_key(rec, fields):
    out = []
    for f in fields:
        if f == "first_s":
            out.append(pm_secs(rec, "first"))
        elif f == "last_s":
            out.append(pm_secs(rec, "last"))
        elif f in ("inif_name", "outif_name"):
            out.append(rec.get(f, ""))
        else:
            out.append(nftop_value(rec, f))
    return tuple(out)


def expect_pmacct(scen, corpus, run):
    e = Expect(scen.name)
    facts = open(os.path.join(corpus, scen.expected[0])).read()
    agg = re.search(r"aggregate\[[^\]]*\]: (.*)$", facts, re.M).group(1)
    prims = [p.strip() for p in agg.split(",")]
    renorm = re.search(r"^#   conf: nfacctd_renormalize: true", facts,
                       re.M) is not None
    # With nfacctd_net: bgp the masks come from pmacct's BGP table.
    bgp_net = re.search(r"^#   conf: nfacctd_net: bgp", facts, re.M)
    mine = {p: PM_PRIMS[p] for p in prims if p in PM_PRIMS and not (
        bgp_net and p in ("src_mask", "dst_mask"))}
    fields = [mine[p][1] for p in prims if p in mine]
    members = [mine[p][0] for p in prims if p in mine]
    rows = []
    for x in scen.expected[1:]:
        if os.path.basename(x).startswith("output-flow"):
            for line in open(os.path.join(corpus, x)):
                if line.strip():
                    rows.append(json.loads(line))
    table = {}
    for row in rows:
        key = tuple(pm_value(f, row.get(m, "" if f.endswith("_name")
                                        else 0))
                    for f, m in zip(fields, members))
        c = table.setdefault(key, [0, 0, 0])
        c[0] += 1
        c[1] += int(row["packets"])
        c[2] += int(row["bytes"])
    e.agg = (fields, table, renorm, [p + (" (from BGP: nfacctd_net: bgp)"
                                          if p in PM_PRIMS else "")
                                      for p in prims if p not in mine])
    e.notes.append("pmacct aggregates on: %s; renormalize %s" % (
        ", ".join(prims), "on (counters scaled by the sampling rate)" if
        renorm else "off (counters as exported)"))
    return e



# --------------------------------------------------------------- tshark

def tshark_checks(scen, e):
    """MANIFEST's tshark 4.0 facts, for scenarios whose oracle asserts no
    values ("must not crash", or no oracle): template records, data
    records, enterprise fields."""
    t = scen.tshark
    ntmpl = 0
    m = re.search(r"\((\d+) template records\)", t)
    if m:
        ntmpl += int(m.group(1))
    m = re.search(r"options templates \[([^\]]*)\]", t)
    if m:
        ntmpl += len([x for x in m.group(1).split(",") if x.strip()])
    e.checks.append(("templates installed (tshark 4.0: template and "
                     "options template records)", "templates", ntmpl))
    m = re.search(r"(\d+) data records decoded by tshark", t)
    nrec = int(m.group(1)) if m else 0
    e.checks.append(("flow and options-data records (tshark 4.0: data "
                     "records decoded)", ("flows+options", lambda run:
                                          len(run.flows) + run.total(
                                              "options_records")), nrec))
    m = re.search(r"enterprise fields in templates: (\d+)", t)
    e.checks.append(("enterprise-specific template fields (tshark 4.0)",
                     "enterprise_fields", int(m.group(1)) if m else 0))


# --------------------------------------------------------------- compare

def pick(run, r):
    if r.match is not None:
        for i, f in enumerate(run.flows):
            if all(nftop_value(f, k) == v for k, v in r.match.items()):
                return f
        return None
    if r.index is not None and r.index < len(run.flows):
        return run.flows[r.index]
    return None


def fmt(v):
    return "'%s'" % v if isinstance(v, str) else str(v)


def check_decode(tap, e, run, what):
    rc_ok = run.rc == (0, 0) and run.report is not None
    st = run.report.get("stats", {}) if run.report else {}
    mal = run.total("malformed")
    mb = run.malformed_by()
    diag = []
    if run.stderr:
        diag.append("stderr: " + run.stderr[:500])
    if not rc_ok:
        diag.append("exit status %s, report %s" % (run.rc, "present" if
                    run.report else "missing"))
    outcomes = sum(v for k, v in st.items() if k in (
        "decoded", "malformed", "unsupported", "denied"))
    if e.nocrash:
        ok = rc_ok and st.get("datagrams", -1) == outcomes
        diag.append("documented as: must not crash; nftop: %d datagram(s)"
                    ", %d decoded, %d malformed %s, %d flow record(s), %d "
                    "options record(s)" % (st.get("datagrams", 0),
                                           st.get("decoded", 0), mal, mb,
                                           len(run.flows),
                                           run.total("options_records")))
        tap.test(ok, "%s: exits 0, every datagram decoded or counted "
                 "malformed" % what, diag if not ok else ())
        if ok:
            for d in diag:
                tap.note(d)
        return
    n = len(run.flows)
    gap = gap_for(e.name, "count")
    count = None if gap else e.count
    ok = rc_ok and mal == 0 and (count is None or n == count)
    if mal:
        diag.append("malformed %d: %s" % (mal, mb))
    if count is not None and n != count:
        diag.append("flow records: got %d, expected %d (%s)" %
                    (n, count, e.count_note))
    desc = "%s: decodes, no malformed datagram" % what
    desc += ", %d flow record(s)" % count if count is not None else \
        " (no record count in the oracle: %d flow record(s))" % n
    tap.test(ok, desc, diag)
    if gap and e.count is not None:
        tap.test(n == e.count, "%s: %d flow record(s) (nftop gap)" % (
            what, e.count), ["got %d (%s)" % (n, e.count_note)],
            todo="GAP: " + gap[2] if GAPS_ARE_TODO else None)
    if run.metered:
        tap.note("%d record(s) of metered traffic (not export) ignored" %
                 run.metered)


def compare(tap, e, run, what):
    check_decode(tap, e, run, what)
    for n in e.notes:
        tap.note(n)
    for desc, member, want in e.checks:
        if isinstance(member, tuple):
            member, fn = member
            got = fn(run)
        else:
            got = run.total(member)
        d = dispute_for(e.name, member)
        if d and got != want and got == d[3]:
            tap.test(False, "%s: %s: oracle %s, nftop %s" % (
                what, desc, fmt(want), fmt(got)), todo=d[4])
            continue
        tap.test(got == want, "%s: %s: %s" % (what, desc, fmt(want)),
                 ["got %s, expected %s" % (fmt(got), fmt(want))]
                 if got != want else ())
    if e.agg is not None:
        compare_agg(tap, e, run, what)
    if not e.records:
        return
    groups = {}
    disputed = {}
    gapped = {}
    missing = []
    notcmp = {}
    for r in e.records:
        rec = pick(run, r)
        for k, why in r.notcmp.items():
            notcmp.setdefault(why, set()).add(k)
        if rec is None:
            missing.append(r.label)
            continue
        if r.span is not None:
            tap.note("%s: flowEnd-flowStartSysUpTime %d ms; nftop, with no "
                     "init time, last-first %d ms" % (
                         r.label, r.span, rec["last"] - rec["first"]))
        fields = dict(r.fields)
        implied = set()
        if r.full:
            for f in ZERO_WHEN_ABSENT:
                known = r.known
                if (known is not None and f not in known) or \
                        (known is None and f == "any_nexthop"):
                    continue
                if f not in fields and not (f == "mpls_label" and
                                            "mpls_top_label" in fields):
                    fields[f] = norm_field(f, zero_of(f, rec))
                    implied.add(f)
        for f, want in fields.items():
            got = nftop_value(rec, f)
            note = r.notes.get(f, "absent from the oracle's record: zero"
                               if f in implied else "")
            item = (r.label, f, want, got, note)
            if dispute_for(e.name, f):
                disputed.setdefault(f, []).append(item)
            elif gap_for(e.name, f):
                gapped.setdefault(f, []).append(item)
            else:
                groups.setdefault(GROUP_OF.get(f, "other"), []).append(item)
    if missing:
        gap = gap_for(e.name, "records")
        tap.test(False, "%s: every expected record is in nftop's output" %
                 what, ["no nftop record for: " + ", ".join(missing)],
                 todo="GAP: " + gap[2] if gap and GAPS_ARE_TODO else None)
    for g, _ in GROUPS + [("other", [])]:
        items = groups.get(g)
        if not items:
            continue
        bad = [i for i in items if i[2] != i[3]]
        names = sorted({i[1] for i in items},
                       key=lambda f: [x for _, fs in GROUPS
                                      for x in fs].index(f)
                       if f in GROUP_OF else 99)
        nrec = len({i[0] for i in items})
        diag = ["%s: %s: got %s, expected %s%s" % (
            l, f, fmt(gt), fmt(w), " (%s)" % n if n else "")
            for l, f, w, gt, n in bad]
        tap.test(not bad, "%s: %s (%s) of %d record(s)" % (
            what, g, ",".join(names), nrec), diag[:40])
    for f, items in disputed.items():
        d = dispute_for(e.name, f)
        got = [i[3] for i in items]
        want = [i[2] for i in items]
        rec_d = d[3] if isinstance(d[3], list) else [d[3]]
        if got == want:
            tap.test(True, "%s: %s (disputed expectation now met)" %
                     (what, f), todo=d[4])
        elif got == rec_d:
            tap.test(False, "%s: %s: oracle %s, nftop %s" % (
                what, f, want if len(want) > 1 else fmt(want[0]),
                got if len(got) > 1 else fmt(got[0])), todo=d[4])
        else:
            tap.test(False, "%s: %s (disputed field)" % (what, f),
                     ["got %s, expected %s, dispute recorded nftop %s" %
                      (got, want, rec_d)])
    by_reason = {}
    for f, items in gapped.items():
        by_reason.setdefault(gap_for(e.name, f)[2], []).extend(items)
    for why, items in by_reason.items():
        bad = [i for i in items if i[2] != i[3]]
        names = []
        for i in items:
            if i[1] not in names:
                names.append(i[1])
        tap.test(not bad, "%s: %s (nftop gap)" % (what, ",".join(names)), [
            "%s: %s: got %s, expected %s" % (l, f, fmt(gt), fmt(w))
            for l, f, w, gt, _ in bad],
            todo="GAP: " + why if GAPS_ARE_TODO else None)
    for why in sorted(notcmp):
        tap.note("not compared (%s): %s" % (why, ", ".join(
            sorted(notcmp[why]))))


def agg_table(run, fields, renorm):
    mine = {}
    for rec in run.flows:
        key = pm_key(rec, fields)
        c = mine.setdefault(key, [0, 0, 0])
        c[0] += 1
        c[1] += rec["packets"] if renorm else nftop_value(
            rec, "packets_unscaled")
        c[2] += rec["bytes"] if renorm else nftop_value(
            rec, "bytes_unscaled")
    return mine


def agg_diff(fields, table, mine):
    only_pm = sorted(set(table) - set(mine), key=str)
    only_me = sorted(set(mine) - set(table), key=str)
    diff = sorted((k for k in set(table) & set(mine)
                   if table[k][1:] != mine[k][1:]), key=str)
    diag = ["%d of %d pmacct aggregate(s) without an equal nftop one" % (
        len(only_pm) + len(diff), len(table))] if only_pm or diff or \
        only_me else []
    for k in only_pm:
        diag.append("pmacct only: %s packets %d bytes %d" % (
            dict(zip(fields, k)), table[k][1], table[k][2]))
    for k in only_me:
        diag.append("nftop only:  %s packets %d bytes %d" % (
            dict(zip(fields, k)), mine[k][1], mine[k][2]))
    for k in diff:
        diag.append("differs: %s pmacct packets/bytes %s, nftop %s" % (
            dict(zip(fields, k)), table[k][1:], mine[k][1:]))
    return diag


def regroup(fields, table, keep):
    """Sum an aggregate table over the fields in keep only."""
    idx = [fields.index(f) for f in keep]
    out = {}
    for k, c in table.items():
        nk = tuple(k[i] for i in idx)
        o = out.setdefault(nk, [0, 0, 0])
        for j in range(3):
            o[j] += c[j]
    return out


def agg_test(tap, e, what, desc, fields, table, mine, field):
    """One aggregate comparison; field names its DISPUTES entry, whose
    nftop value is the number of differing aggregates."""
    diag = agg_diff(fields, table, mine)
    nbad = sum(1 for k in table if mine.get(k, [0, 0, 0])[1:] !=
               table[k][1:])
    d = dispute_for(e.name, field)
    if not diag:
        tap.test(True, desc, todo=d[4] if d else None)
    elif d and nbad == d[3]:
        tap.test(False, desc + ": oracle %s, nftop %d aggregate(s) "
                 "differ" % (d[2], nbad), todo=d[4])
    else:
        if d:
            diag.insert(0, "the dispute recorded %d" % d[3])
        tap.test(False, desc, diag[:30])


def compare_agg(tap, e, run, what):
    fields, table, renorm, others = e.agg
    mine = agg_table(run, fields, renorm)
    tap.note("aggregation key (nftop's fields): %s" % ", ".join(fields))
    if others:
        tap.note("not compared (pmacct primitives nftop has no field for;"
                 " rows that differ only in them are summed): %s" %
                 ", ".join(others))
    times = [f for f in fields if f in ("first_s", "last_s")]
    plain = [f for f in fields if f not in times]
    agg_test(tap, e, what, "%s: per-aggregate packets and bytes equal "
             "pmacct's (%d pmacct row(s), %d nftop record(s))" % (
                 what, sum(c[0] for c in table.values()), len(run.flows)),
             plain, regroup(fields, table, plain),
             regroup(fields, mine, plain), "aggregate")
    if times:
        agg_test(tap, e, what, "%s: timestamp_start/end (s) of every "
                 "aggregate equal pmacct's" % what, fields, table, mine,
                 "times")

# --------------------------------------------------------------- main

def run_cached(cache, args, files, scen_name, tag=""):
    key = tuple(files)
    if key not in cache:
        out = os.path.join(args.tmp, "%s%s.pcap" % (scen_name, tag))
        pcap, dgrams = build_input(args.corpus, files, out)
        walker = Walker()
        for i, (a, p, d) in enumerate(dgrams):
            walker.feed(i, a, p, d)
        cache[key] = (Run(args.nftop, pcap), walker, pcap)
    return cache[key]


def do_scenario(tap, args, scen):
    cache = {}
    run, walker, pcap = run_cached(cache, args, scen.files, scen.name)
    exp = scen.expected[0] if scen.expected else None
    if exp and exp.startswith("logstash-codec-netflow/"):
        secs = ls_sections(os.path.join(args.corpus, exp))
        for i, sec in enumerate(secs):
            files = ["logstash-codec-netflow/" + f for f in sec["inputs"]] \
                or scen.files
            r, w, _ = run_cached(cache, args, files, scen.name, ".%d" % i)
            e = expect_logstash(scen, sec, w, r)
            if e.nocrash:
                tshark_checks(scen, e)
            what = scen.name if i == 0 else "%s [%s]" % (
                scen.name, sec["context"][:60])
            compare(tap, e, r, what)
        return
    if exp and exp.startswith("telegraf/"):
        compare(tap, expect_telegraf(scen, os.path.join(args.corpus, exp),
                                     run), run, scen.name)
        return
    if exp and exp.startswith("akvorado/"):
        for i, t in enumerate(akv_tests(os.path.join(args.corpus, exp))):
            files = ["akvorado/netflow-" + f for f in t["inputs"]]
            if not files:
                continue
            r, w, _ = run_cached(cache, args, files, scen.name, ".%d" % i)
            e = expect_akvorado(scen, t, r)
            if e is None:
                tap.note("%s: %s not run (decoder options %s)" % (
                    scen.name, t["name"], "; ".join(t["options"])))
                continue
            compare(tap, e, r, "%s [%s]" % (scen.name, t["name"]))
        return
    if exp and exp.startswith("pmacct/"):
        compare(tap, expect_pmacct(scen, args.corpus, run), run, scen.name)
        return
    if exp is None:
        e = Expect(scen.name)
        e.notes.append("no decoded-value oracle (MANIFEST): tshark 4.0's "
                       "counts only")
        tshark_checks(scen, e)
        compare(tap, e, run, scen.name)
        return
    tap.test(False, "%s: an adapter for its oracle %s" % (scen.name, exp))


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--nftop", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("only", nargs="*")
    args = ap.parse_args(argv)
    tap = Tap()
    scens = manifest(args.corpus)
    if args.only:
        scens = [s for s in scens if s.name in args.only]
    tap.note("%d NetFlow v9 / IPFIX scenario(s) in %s" % (
        len(scens), os.path.join(args.corpus, "MANIFEST.md")))
    for s in scens:
        try:
            do_scenario(tap, args, s)
        except Exception as ex:		# one broken adapter, one failure
            tap.test(False, "%s: checker raised %s" % (s.name, ex),
                     traceback.format_exc().splitlines()[-8:])
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
