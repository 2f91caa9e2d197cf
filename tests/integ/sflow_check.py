#!/usr/bin/env python3
"""sflow_check.py - sFlow helpers for sflow-corpus.t and sflow-peer.t
(Python 3, stdlib only; nfutil.py next to it).

    sflow_check.py wrap OUT.pcap FILE.bin...   raw sFlow payloads -> pcap
                                               (Ethernet/IPv4/UDP to 6343)
    sflow_check.py send PORT SRCADDR PCAP...   send the UDP payloads of the
                                               pcaps to 127.0.0.1:PORT from
                                               SRCADDR (a 127/8 address)
    sflow_check.py corpus TMP CORPUS           the checks of sflow-corpus.t
    sflow_check.py tee LISTENPORTFILE PORT...  UDP tee for sflow-peer.t

Check lines are lib-checks.sh's (PASS/FAIL/SKIP/TODO, '#' diagnostics).
"""
import ipaddress
import json
import os
import re
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nfutil  # noqa: E402


# ---------------------------------------------------------------- checks

class Checks(nfutil.Checks):
    """nfutil's checks plus TODO (see lib-checks.sh)."""

    def todo(self, cond, desc, reason, detail=""):
        print("TODO\t%s\t%s\t%s\t%s" % (self._clean(desc),
                                        "ok" if cond else "not ok",
                                        self._clean(reason) or "-",
                                        self._clean(detail)))
        sys.stdout.flush()


# ---------------------------------------------------------------- pcap

def pcap_frames(path):
    """Classic pcap -> (linktype, [(sec, usec, frame bytes)])."""
    data = open(path, "rb").read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise ValueError("%s: not a classic pcap" % path)
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(e + "I", data[20:24])[0]
    off, out = 24, []
    while off + 16 <= len(data):
        sec, frac, incl = struct.unpack(e + "III", data[off:off + 12])
        out.append((sec, frac // 1000 if nano else frac,
                    data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return linktype, out


def udp_of(linktype, fr):
    """(src address, src port, dst port, payload) of an Ethernet IPv4/IPv6
    UDP frame, else None."""
    if linktype != 1 or len(fr) < 14:
        return None
    l2, et = 14, struct.unpack(">H", fr[12:14])[0]
    while et in (0x8100, 0x88a8) and len(fr) >= l2 + 4:
        et = struct.unpack(">H", fr[l2 + 2:l2 + 4])[0]
        l2 += 4
    ip = fr[l2:]
    if et == 0x0800 and len(ip) >= 28 and ip[9] == 17:
        src = str(ipaddress.IPv4Address(ip[12:16]))
        udp = ip[(ip[0] & 15) * 4:]
    elif et == 0x86dd and len(ip) >= 48 and ip[6] == 17:
        src = str(ipaddress.IPv6Address(ip[8:24]))
        udp = ip[40:]
    else:
        return None
    sport, dport, ulen = struct.unpack(">HHH", udp[:6])
    return src, sport, dport, udp[8:ulen]


def payloads(path):
    lt, frames = pcap_frames(path)
    return [u[3] for u in (udp_of(lt, f) for _, _, f in frames) if u]


# ---------------------------------------------------------------- sFlow

def _u32(b, o):
    return struct.unpack(">I", b[o:o + 4])[0]


def sflow_flow_samples(pl):
    """A small walk over one sFlow v5 datagram, used only to reconcile the
    oracles' conventions (L2 header length, which records a sample has):
    one dict per flow sample, in order."""
    out = []
    if len(pl) < 28 or _u32(pl, 0) != 5:
        return out
    off = 8 + (4 if _u32(pl, 4) == 1 else 16) + 16
    n = _u32(pl, off - 4)
    try:
        _walk_samples(pl, off, n, out)
    except (struct.error, IndexError, ValueError):
        pass			# a damaged datagram: the samples before it
    return out


def _walk_samples(pl, off, n, out):
    for _ in range(n):
        if off + 8 > len(pl):
            break
        fmt, ln = _u32(pl, off), _u32(pl, off + 4)
        body = pl[off + 8:off + 8 + ln]
        off += 8 + ln
        if fmt not in (1, 3):
            continue
        o = 4
        if fmt == 3:
            o += 8
        else:
            o += 4
        s = {"rate": _u32(body, o)}
        o += 12
        if fmt == 3:
            s["input_raw"] = (_u32(body, o) << 30) | _u32(body, o + 4)
            s["output_raw"] = (_u32(body, o + 8) << 30) | _u32(body, o + 12)
            s["in_fmt"], s["out_fmt"] = _u32(body, o), _u32(body, o + 8)
            o += 16
        else:
            s["input_raw"], s["output_raw"] = _u32(body, o), _u32(body, o + 4)
            s["in_fmt"] = s["input_raw"] >> 30
            s["out_fmt"] = s["output_raw"] >> 30
            o += 8
        nrec = _u32(body, o)
        o += 4
        recs = []
        for _ in range(nrec):
            rf, rl = _u32(body, o), _u32(body, o + 4)
            recs.append((rf, body[o + 8:o + 8 + rl]))
            o += 8 + ((rl + 3) & ~3)
        s["formats"] = [f for f, _ in recs]
        for rf, rb in recs:
            if rf == 1:
                s["header_proto"] = _u32(rb, 0)
                s["frame_length"] = _u32(rb, 4)
                s["stripped"] = _u32(rb, 8)
                s["header"] = rb[16:16 + _u32(rb, 12)]
            elif rf == 1003:
                a = 8 if _u32(rb, 0) == 1 else 20
                s["gw_as"], s["gw_src_as"] = _u32(rb, a), _u32(rb, a + 4)
                s["gw_path_segments"] = _u32(rb, a + 12)
        out.append(s)


def ip_after_header(formats):
    """A sampled IPv4/IPv6 record (3, 4) follows the raw header (1)."""
    return 1 in formats and any(f in (3, 4) for f in
                                formats[formats.index(1):])


def l2_info(header):
    """Ethernet header length (with 802.1Q tags) and the IP length
    (IPv4 total length, IPv6 payload + 40) of a sampled Ethernet header."""
    l2, et = 14, struct.unpack(">H", header[12:14])[0]
    while et in (0x8100, 0x88a8, 0x9100):
        et = struct.unpack(">H", header[l2 + 2:l2 + 4])[0]
        l2 += 4
    if et == 0x0800:
        iplen = struct.unpack(">H", header[l2 + 2:l2 + 4])[0]
    elif et == 0x86dd:
        iplen = struct.unpack(">H", header[l2 + 4:l2 + 6])[0] + 40
    else:
        iplen = None
    return l2, iplen


# ---------------------------------------------------------------- oracles

def parse_akvorado(path):
    """akvorado *.expected.txt -> [subtest dict(name, options, flows,
    metrics, no_flows)].  A flow is a flat dict (OtherColumns merged)."""
    subs, cur, flow, listkey, section = [], None, None, None, None
    for raw in open(path):
        line = raw.rstrip("\n")
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if s.startswith("-- subtest:"):
            cur = {"name": s[len("-- subtest:"):].strip(), "options": [],
                   "flows": [], "metrics": {}, "no_flows": False}
            subs.append(cur)
            section = None
            continue
        if cur is None:
            continue
        if s.startswith("decoder option:"):
            cur["options"].append(s.split(":", 1)[1].strip())
        elif s.startswith("expected: NO flows"):
            cur["no_flows"] = True
        elif s == "expectedFlows:":
            section = "flows"
        elif s == "expectedMetrics:":
            section = "metrics"
        elif s.startswith(("CHECK:", "INPUT", "NOTE:")):
            section = None if s.startswith("NOTE") else section
        elif section == "flows" and re.match(r"^\[\d+\]$", s):
            flow = {}
            cur["flows"].append(flow)
            listkey = None
        elif section == "flows" and flow is not None:
            if s.startswith("- "):
                flow[listkey].append(_val(s[2:]))
            elif s.endswith(":"):
                listkey = s[:-1]
                if listkey != "OtherColumns":
                    flow[listkey] = []
            else:
                k, v = s.split(":", 1)
                flow[k.strip()] = _val(v.strip())
        elif section == "metrics" and ":" in s:
            k, v = s.rsplit(":", 1)
            cur["metrics"][k.strip()] = int(v)
    return subs


def _val(v):
    v = v.strip()
    try:
        return int(v, 0)
    except ValueError:
        return v


def parse_lineproto(path):
    """InfluxDB line protocol -> [dict of fields (tags included)]."""
    out = []
    for line in open(path):
        line = line.rstrip("\n")
        if not line:
            continue
        # measurement,tags fields timestamp; quoted values may hold spaces
        m = re.match(r"^(\S+) (.*) (\d+)$", line)
        tags, fields = m.group(1), m.group(2)
        rec = {}
        for t in tags.split(",")[1:]:
            k, v = t.split("=", 1)
            rec[k] = v
        for m2 in re.finditer(r'([A-Za-z0-9_]+)=("(?:[^"\\]|\\.)*"|[^,]*)',
                              fields):
            k, v = m2.group(1), m2.group(2)
            if v.startswith('"'):
                v = v[1:-1]
            elif v.endswith("u") or v.endswith("i"):
                v = int(v[:-1])
            rec[k] = v
        out.append(rec)
    return out


def parse_tcpdump(path):
    """tcpdump -v text of sFlow datagrams -> [frame dict]: num, agent,
    agent_id, seq, samples: [sample dict(kind, seq, idx, records,
    counters, flow fields)], notsflow."""
    frames, fr, smp = [], None, None
    for line in open(path):
        # "  N  YYYY-MM-DD hh:mm:ss.us IP" (tcpdump's test suite) or
        # "hh:mm:ss.us IP" (plain tcpdump -v)
        m = re.match(r"^\s*(?:(\d+)\s+\d{4}-\d\d-\d\d )?"
                     r"\d\d:\d\d:\d\d\.\d+ IP", line)
        if m:
            fr = {"num": int(m.group(1) or len(frames) + 1), "samples": [],
                  "notsflow": False}
            frames.append(fr)
            smp = None
            continue
        if fr is None:
            continue
        m = re.search(r"sFlowv5, IPv[46] agent (\S+), agent-id (\d+), "
                      r"seqnum (\d+)", line)
        if m:
            fr.update(agent=m.group(1), agent_id=int(m.group(2)),
                      seq=int(m.group(3)))
            continue
        if "packet not supported" in line or "(invalid)" in line:
            fr["notsflow"] = True
            continue
        m = re.match(r"^\t(expanded )?(counter|flow) sample \((\d)\), "
                     r"length \d+, seqnum (\d+), type (\d+), idx (\d+)(.*)",
                     line)
        if m:
            smp = {"kind": m.group(2), "format": int(m.group(3)),
                   "seq": int(m.group(4)), "ds_type": int(m.group(5)),
                   "idx": int(m.group(6)), "records": [], "counters": None}
            rest = m.group(7)
            for k in ("rate", "pool", "drops", "input", "output"):
                m2 = re.search(r"\b%s (\d+)" % k, rest)
                if m2:
                    smp[k] = int(m2.group(1))
            fr["samples"].append(smp)
            continue
        m = re.match(r"^\tUnknown \((\d+)\), length", line)
        if m:
            smp = {"kind": "unknown", "format": int(m.group(1)),
                   "records": []}
            fr["samples"].append(smp)
            continue
        if smp is None:
            continue
        m = re.match(r"^\t    enterprise (\d+),? (.*?) \((\d+)\) length", line)
        if m:
            smp["records"].append((int(m.group(1)), int(m.group(3))))
            continue
        m = re.search(r"protocol \w+ \((\d+)\), length (\d+), stripped bytes "
                      r"(\d+), header_size (\d+)", line)
        if m:
            smp["frame_length"] = int(m.group(2))
            smp["stripped"] = int(m.group(3))
            continue
        c = smp.setdefault("counters", None)
        m = re.search(r"ifindex (\d+), iftype (\d+), ifspeed (\d+)", line)
        if m:
            smp["counters"] = c = {"ifindex": int(m.group(1)),
                                   "iftype": int(m.group(2)),
                                   "speed": int(m.group(3))}
            continue
        if c is None:
            continue
        m = re.search(r"ifstatus (\d+)", line)
        if m:
            c["status"] = int(m.group(1))
        m = re.search(r"(In|Out) octets (\d+), unicast pkts (\d+), multicast "
                      r"pkts (\d+), broadcast pkts (\d+), discards (\d+)",
                      line)
        if m:
            d = m.group(1).lower()
            c[d + "_octets"] = int(m.group(2))
            c[d + "_pkts"] = [int(m.group(i)) for i in (3, 4, 5)]
            c[d + "_discards"] = int(m.group(6))
        m = re.search(r"(In|Out) errors (\d+)", line)
        if m:
            c[m.group(1).lower() + "_errors"] = int(m.group(2))
    return frames


def known(v, bits=32):
    """sFlow's unknown counter (all ones) counts as 0, as nftop does."""
    return 0 if v == (1 << bits) - 1 else v


def parse_nfdump_csv(path):
    """`nfdump -o csv` (with its header line) -> [dict by column]."""
    rows, hdr = [], None
    for line in open(path):
        cols = [c.strip() for c in line.rstrip("\n").split(",")]
        if hdr is None:
            if cols and cols[0] == "ts":
                hdr = cols
            continue
        if len(cols) != len(hdr) or not re.match(r"\d{4}-", cols[0]):
            continue
        rows.append(dict(zip(hdr, cols)))
    return rows


PROTO = {"TCP": 6, "UDP": 17, "ICMP": 1, "ICMP6": 58, "tcp": 6, "udp": 17,
         "icmp": 1, "ipv6-icmp": 58, "icmpv6": 58, "hopopt": 0,
         "ProtoTCP": 6, "ProtoUDP": 17, "ProtoICMPv4": 1, "ProtoICMPv6": 58,
         "ProtoIPv4": 4}


def mac_of_int(v):
    return ":".join("%02x" % b for b in int(v).to_bytes(6, "big"))


def plain(a):
    """::ffff:a.b.c.d -> a.b.c.d; other addresses as Python prints them."""
    ip = ipaddress.ip_address(str(a))
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


# ---------------------------------------------------------------- corpus

# name: (kind, files relative to the corpus, expected file)
SCENARIOS = [
    ("akv-sflow-1140", "akvorado", ["akvorado/sflow-data-1140.pcap"],
     "akvorado/sflow-data-1140.pcap.expected.txt"),
    ("akv-sflow-local-interface", "akvorado",
     ["akvorado/sflow-data-local-interface.pcap"],
     "akvorado/sflow-data-local-interface.pcap.expected.txt"),
    ("akv-sflow-discard-interface", "akvorado",
     ["akvorado/sflow-data-discard-interface.pcap"],
     "akvorado/sflow-data-discard-interface.pcap.expected.txt"),
    ("akv-sflow-expanded-sample", "akvorado",
     ["akvorado/sflow-data-sflow-expanded-sample.pcap"],
     "akvorado/sflow-data-sflow-expanded-sample.pcap.expected.txt"),
    ("akv-sflow-ipv4-data", "akvorado",
     ["akvorado/sflow-data-sflow-ipv4-data.pcap"],
     "akvorado/sflow-data-sflow-ipv4-data.pcap.expected.txt"),
    ("akv-sflow-icmpv4", "akvorado", ["akvorado/sflow-data-icmpv4.pcap"],
     "akvorado/sflow-data-icmpv4.pcap.expected.txt"),
    ("akv-sflow-vxlan", "akvorado", ["akvorado/sflow-data-encap-vxlan.pcap"],
     "akvorado/sflow-data-encap-vxlan.pcap.expected.txt"),
    ("tel-sflow-drop", "telegraf",
     ["telegraf/sflow_issue_15375/sflow_drop_1036.bin"],
     "telegraf/sflow_issue_15375/expected.out"),
    ("tel-sflow-issue15918", "telegraf",
     ["telegraf/sflow_issue_15918/message.bin"],
     "telegraf/sflow_issue_15918/expected.out"),
    ("tel-sflow-example", "telegraf",
     ["telegraf/sflow_v5_example/sflow_v5.bin"],
     "telegraf/sflow_v5_example/expected.out"),
    ("tcpd-sflow-counters-30", "tcpdump",
     ["tcpdump/sflow_multiple_counter_30_pdus.pcap"],
     "tcpdump/sflow_multiple_counter_30_pdus.out"),
    ("tcpd-sflow-segv", "segv", ["tcpdump/sflow_print-segv.pcap"],
     "tcpdump/sflow_print-segv.out"),
]

# Why a check is TODO (expectation or oracle wrong, or a known nftop gap).
WHY = {
    "local": "akvorado maps sFlow's 'internal interface' 0x3FFFFFFF to 0; "
             "nftop and sfcapd keep it as interface 1073741823 (dispute, "
             "see report)",
    "fwd": "nftop gap: an sFlow discard (output format 1) sets no "
           "forwarding status (akvorado: 131)",
    "outif_fmt": "sfcapd stores the 30-bit value of a non-ifIndex output "
                 "format (discard reason / interface count) as the "
                 "interface; nftop says 0",
    "ipbytes": "sfcapd (sflowtool) takes the length of the sampled-IPv4/"
               "IPv6 record that comes after the raw header (IP length); "
               "nftop keeps the raw header's frame length",
    "ownas": "own-AS convention: a source AS of 0 or an empty AS path is "
             "the router's own AS for nftop and akvorado, 0 for sfcapd",
    "framelen": "this agent's frame length (also in its Ethernet-frame "
                "record) is not IP length + L2 header + FCS of its own "
                "sampled packet; akvorado's Bytes is the IP length, nftop's "
                "the frame length (checked against tcpdump)",
    "in_snmp": "telegraf reports the sample's data source index as "
               "in_snmp, not its input interface (tcpdump: input differs)",
    "hopopt": "telegraf takes the IPv6 next header (0, hop-by-hop) as the "
              "protocol; nftop, sfcapd and tcpdump walk to ICMPv6",
}


def corpus_checks(tmp, corpus):
    ck = Checks()
    senders = {}
    for line in open(os.path.join(tmp, "send.list")):
        name, src, _ = line.split(None, 2)
        senders[name] = src
    sfc = parse_nfdump_csv(os.path.join(tmp, "sfcapd.csv"))
    every = []
    for name, kind, files, exp in SCENARIOS:
        scen = Scenario(tmp, corpus, name, kind, files, exp,
                        [r for r in sfc if r.get("ra") == senders.get(name)])
        scen.run(ck)
        every += scen.flows
    # The same datagrams over UDP into one live nftop: the same records
    # (the exporter is the agent, so scenarios sharing an agent mix there).
    live = [r for r in nfutil.json_lines(os.path.join(tmp, "live.flows"))
            if r.get("protocol") == "sflow-v5"]

    def norm(recs):
        return sorted(json.dumps({k: v for k, v in r.items()
                                  if k not in ("first", "last")},
                                 sort_keys=True) for r in recs)
    a, b = norm(live), norm(every)
    ck.ok(a == b, "a live nftop (--listen) decodes the same %d sFlow "
          "records as --read does, scenario by scenario" % len(b),
          "only live: %r; only --read: %r" % (
              sorted(set(a) - set(b))[:2], sorted(set(b) - set(a))[:2]))
    return 0


class Scenario:
    def __init__(self, tmp, corpus, name, kind, files, exp, sfcapd):
        self.tmp, self.corpus, self.name, self.kind = tmp, corpus, name, kind
        self.exp = os.path.join(corpus, exp)
        self.pcap = os.path.join(tmp, name + ".pcap")
        self.flows = nfutil.json_lines(os.path.join(tmp, name + ".flows"))
        self.flows = [r for r in self.flows
                      if r.get("protocol") == "sflow-v5"]
        self.report = nfutil.last_json(os.path.join(tmp, name + ".json"))
        self.sfcapd = sfcapd
        lt, frames = pcap_frames(self.pcap)
        self.frames = frames
        self.samples = []
        for _, _, fr in frames:
            u = udp_of(lt, fr)
            if u:
                self.samples += sflow_flow_samples(u[3])
        # the samples nftop makes a record of: a header or a sampled IP
        self.keyed = [s for s in self.samples if "header" in s or
                      {3, 4} & set(s["formats"])]
        tf = os.path.join(tmp, name + ".tcpdump")
        self.tcpd = parse_tcpdump(tf) if os.path.exists(tf) else []

    def sources(self, proto="sflow-v5"):
        return [s for s in (self.report or {}).get("sources", [])
                if s["protocol"] == proto]

    def run(self, ck):
        n = self.name
        if self.report is None:
            ck.ok(False, "%s: nftop printed a JSON report" % n)
            return
        getattr(self, "check_" + self.kind)(ck)
        if self.kind not in ("segv", "tcpdump"):
            self.check_tcpdump_flows(ck)
            self.check_sfcapd(ck)

    # -- shared
    def check_totals(self, ck, flow_samples, counter_samples):
        n = self.name
        src = self.sources()
        ck.eq(sum(s["flow_samples"] for s in src), flow_samples,
              "%s: flow_samples" % n)
        ck.eq(sum(s["counter_samples"] for s in src), counter_samples,
              "%s: counter_samples" % n)
        bad = {k: sum(s[k] for s in src) for k in
               ("malformed", "bad_samples", "samples_lost", "sample_drops",
                "lost", "no_header")}
        ck.eq(bad, dict.fromkeys(bad, 0),
              "%s: nothing malformed, lost or without a header" % n)
        ck.eq(sum(s["records"] for s in src), len(self.flows),
              "%s: sources' records = the --flows records" % n)
        tot = self.report["totals"]
        ck.eq((tot["packets"], tot["bytes"]),
              (sum(r["packets"] for r in self.flows),
               sum(r["bytes"] for r in self.flows)),
              "%s: report totals = the sum of the --flows records" % n)

    def check_tcpdump_flows(self, ck):
        """tcpdump -vvv (an independent decoder) on the same pcap: per flow
        sample, rate, input/output and the raw header's frame length."""
        n = self.name
        ts = [s for f in self.tcpd for s in f["samples"]
              if s["kind"] == "flow"]
        ck.eq(len(self.flows), len(ts),
              "%s: one record per flow sample tcpdump decodes" % n)
        bad = []
        for i, (r, t) in enumerate(zip(self.flows, ts)):
            want = {"sampling": t["rate"], "packets": t["rate"],
                    "bytes": t["rate"] * t["frame_length"]}
            # (tcpdump 4.99 prints no interfaces for expanded samples)
            if "input" in t and t["input"] >> 30 == 0:
                want["inif"] = t["input"]
            if "output" in t:
                want["outif"] = t["output"] if t["output"] >> 30 == 0 else 0
            got = {k: r[k] for k in want}
            if got != want:
                bad.append("#%d nftop %r tcpdump %r" % (i, got, want))
        ck.ok(not bad, "%s: sampling, packets = rate, bytes = rate x frame "
              "length, interfaces equal tcpdump -vvv's" % n, "; ".join(bad))

    def check_sfcapd(self, ck):
        """nfdump's sfcapd fed the same datagrams (loopback)."""
        n = self.name
        rows = self.sfcapd
        ck.eq(len(rows), len(self.flows),
              "%s: sfcapd stored as many records as nftop decoded" % n)
        plain_bad, todo = [], {}
        for i, (r, o) in enumerate(zip(self.flows, rows)):
            s = self.keyed[i] if i < len(self.keyed) else {}
            icmp = r["proto"] in (1, 58)
            got = {"srcip": r["srcip"], "dstip": r["dstip"],
                   "proto": r["proto"], "tos": r["tos"],
                   "packets": r["packets"], "inif": r["inif"],
                   "srcmask": r["srcmask"], "dstmask": r["dstmask"],
                   "src_mac": r["src_mac"], "dst_mac": r["dst_mac"]}
            want = {"srcip": plain(o["sa"]), "dstip": plain(o["da"]),
                    "proto": PROTO.get(o["pr"], o["pr"]),
                    "tos": int(o["stos"]), "packets": int(o["ipkt"]),
                    "inif": int(o["in"]), "srcmask": int(o["smk"]),
                    "dstmask": int(o["dmk"]), "src_mac": o["ismc"],
                    "dst_mac": o["odmc"]}
            if not icmp:
                got.update(srcport=r["srcport"], dstport=r["dstport"],
                           tcpflags=r["tcpflags"])
                want.update(srcport=int(o["sp"]), dstport=int(o["dp"]),
                            tcpflags=nfutil.tcpflags_from_str(o["flg"]))
            if "." in r["srcip"]:
                got.update(nexthop=r["nexthop"], bgp_nexthop=r["bgp_nexthop"])
                want.update(nexthop=o["nh"], bgp_nexthop=o["nhb"])
            sv, dv = int(o["svln"]), int(o["dvln"])
            got["vlan"] = r["vlan"]
            want["vlan"] = sv if 0 < sv < 4095 else (dv if dv < 4095 else 0)
            # conventions that differ, each checked on its own (TODO)
            pairs = [("outif", r["outif"], int(o["out"]),
                      "outif_fmt" if s.get("out_fmt") else None),
                     ("bytes", r["bytes"], int(o["ibyt"]),
                      "ipbytes" if ip_after_header(s.get("formats", []))
                      else None),
                     ("srcas", r["srcas"], int(o["sas"]),
                      "ownas" if s.get("gw_src_as") == 0 else None),
                     ("dstas", r["dstas"], int(o["das"]),
                      "ownas" if s.get("gw_path_segments") == 0 else None)]
            for f, g, w, why in pairs:
                if why is None:
                    got[f], want[f] = g, w
                else:
                    todo.setdefault((f, why), []).append((i, g, w))
            if got != want:
                diff = {k: (got[k], want[k]) for k in got
                        if got[k] != want.get(k)}
                plain_bad.append("#%d %r" % (i, diff))
        ck.ok(not plain_bad, "%s: every record equals sfcapd's (key, "
              "counters, interfaces, masks, next hops, VLAN, MACs)" % n,
              "; ".join(plain_bad) + " (nftop, sfcapd)")
        for (f, why), lst in sorted(todo.items()):
            ck.todo(all(g == w for _, g, w in lst),
                    "%s: %s equals sfcapd's for records %s" %
                    (n, f, [i for i, _, _ in lst]), WHY[why],
                    "nftop/sfcapd %r" % [(g, w) for _, g, w in lst])

    # -- akvorado
    def check_akvorado(self, ck):
        n = self.name
        subs = parse_akvorado(self.exp)
        ck.ok(subs, "%s: akvorado expectations parsed" % n)
        for sub in subs:
            label = "%s [%s]" % (n, sub["name"])
            if sub["options"]:
                ck.skip("%s: %d flow(s) as akvorado expects" %
                        (label, len(sub["flows"])),
                        "needs akvorado's decoder option %s (nftop does "
                        "not decapsulate tunnels; the outer flow is checked "
                        "against tcpdump and sfcapd)" %
                        ", ".join(sub["options"]))
                continue
            ck.eq(len(self.flows), len(sub["flows"]),
                  "%s: as many flows as akvorado" % label)
            for i, (r, e) in enumerate(zip(self.flows, sub["flows"])):
                self.akv_flow(ck, "%s flow %d" % (label, i), r, e,
                              self.keyed[i] if i < len(self.keyed) else {})
            m = sub["metrics"]
            for k, v in m.items():
                if k.startswith("sample_sum") and "FlowSample" in k:
                    ck.eq(sum(s["flow_samples"] for s in self.sources()), v,
                          "%s: flow samples = akvorado's %s" % (label, k))
                elif k.startswith("flows_total"):
                    ck.eq(sum(s["datagrams"] for s in self.sources()), v,
                          "%s: datagrams = akvorado's %s" % (label, k))
        nflow = len(self.samples)
        self.check_totals(ck, nflow, 0)
        ck.eq(sum(s["unknown_formats"] for s in self.sources()),
              sum(1 for s in self.samples for f in s["formats"]
                  if f not in (1, 3, 4, 1001, 1002, 1003)),
              "%s: unknown_formats counts the records nftop does not "
              "decode (e.g. Ethernet frame data)" % n)

    def akv_flow(self, ck, label, r, e, s):
        got, want, notes, todo = {}, {}, [], []
        got["sampling"], want["sampling"] = r["sampling"], e["SamplingRate"]
        got["packets"] = r["packets"]
        want["packets"] = e.get("Packets", 0) * e["SamplingRate"]
        got["srcip"], want["srcip"] = r["srcip"], plain(e["SrcAddr"])
        got["dstip"], want["dstip"] = r["dstip"], plain(e["DstAddr"])
        got["exporter"] = r["exporter"]
        want["exporter"] = plain(e["ExporterAddress"])
        got["af"] = 6 if ":" in r["srcip"] else 4
        want["af"] = 6 if e.get("EType") == "ETypeIPv6" else 4
        got["proto"], want["proto"] = r["proto"], PROTO[e["Proto"]]
        if r["proto"] in (1, 58):
            got["icmp"] = (r["icmp_type"], r["icmp_code"])
            want["icmp"] = (e.get("ICMPv4Type", e.get("ICMPv6Type", 0)),
                            e.get("ICMPv4Code", e.get("ICMPv6Code", 0)))
        else:
            got["ports"] = (r["srcport"], r["dstport"])
            want["ports"] = (e.get("SrcPort", 0), e.get("DstPort", 0))
        got["tos"], want["tos"] = r["tos"], e.get("IPTos", 0)
        got["tcpflags"], want["tcpflags"] = r["tcpflags"], e.get("TCPFlags", 0)
        for a, b in (("SrcAS", "srcas"), ("DstAS", "dstas"),
                     ("SrcNetMask", "srcmask"), ("DstNetMask", "dstmask")):
            got[b], want[b] = r[b], e.get(a, 0)
        if "NextHop" in e:
            got["nexthop"], want["nexthop"] = r["nexthop"], plain(e["NextHop"])
        got["vlan"] = r["vlan"]
        want["vlan"] = e.get("SrcVlan") or e.get("DstVlan", 0)
        got["macs"] = (r["src_mac"], r["dst_mac"])
        want["macs"] = (mac_of_int(e.get("SrcMAC", 0)),
                        mac_of_int(e.get("DstMAC", 0)))
        for a, b in (("InIf", "inif"), ("OutIf", "outif")):
            if r[b] == 0x3FFFFFFF and e.get(a, 0) == 0:
                todo.append((b, r[b], 0, "local"))
            else:
                got[b], want[b] = r[b], e.get(a, 0)
        # Bytes: akvorado's are the IP length of the sampled packet, nftop's
        # the frame length (L2 header + IP + FCS) x rate.  Reconciled with
        # the sampled header: IP length + L2 header + stripped (FCS) =
        # frame length, unless the frame was padded to the 64-byte minimum.
        if "header" in s:
            l2, iplen = l2_info(s["header"])
            fl = r["bytes"] // r["sampling"]
            got["bytes_exact"] = r["bytes"] % r["sampling"] == 0
            want["bytes_exact"] = True
            got["frame_length"], want["frame_length"] = fl, s["frame_length"]
            got["akv_bytes_is_ip_length"] = True
            want["akv_bytes_is_ip_length"] = e.get("Bytes") == iplen
            if iplen + l2 + 4 == s["frame_length"]:
                got["bytes_minus_l2"] = fl - l2 - 4
                want["bytes_minus_l2"] = e.get("Bytes")
            elif s["frame_length"] == 64 and iplen + l2 + 4 < 64:
                notes.append("padded frame: %d = 64 > %d IP + %d L2 + 4 "
                             "FCS" % (fl, iplen, l2))
            else:
                todo.append(("bytes/rate - L2 header - FCS", fl - l2 - 4,
                             e.get("Bytes"), "framelen"))
        diff = {k: (got[k], want[k]) for k in want if got.get(k) != want[k]}
        ck.ok(not diff, "%s: equals akvorado's (bytes: frame length - L2 "
              "header - FCS = IP length)" % label,
              "%r (nftop, akvorado)" % diff)
        for note in notes:
            ck.diag("%s: %s" % (label, note))
        for b, g, w, why in todo:
            ck.todo(g == w, "%s: %s equals akvorado's" % (label, b), WHY[why],
                    "nftop %r akvorado %r" % (g, w))
        if "ForwardingStatus" in e:
            ck.todo(r["fwd_status"] == e["ForwardingStatus"],
                    "%s: fwd_status equals akvorado's ForwardingStatus" %
                    label, WHY["fwd"],
                    "nftop %r akvorado %r" % (r["fwd_status"],
                                              e["ForwardingStatus"]))
        skipped = sorted(k for k in e if k in (
            "IPTTL", "IPFragmentID", "IPv6FlowLabel", "DstASPath",
            "DstCommunities"))
        if skipped:
            ck.diag("%s: not in nftop's record, not compared: %s" %
                    (label, ", ".join(skipped)))

    # -- telegraf
    def check_telegraf(self, ck):
        n = self.name
        lines = parse_lineproto(self.exp)
        ck.ok(lines, "%s: telegraf expectations parsed" % n)
        src = self.sources()
        flows = [x for x in lines if "src" in x]
        ifcs = [x for x in lines if "interface" in x]
        drops = [x for x in lines if "reason" in x]
        agents = {(x["agent_ip"], x["agent_subid"]) for x in lines}
        ck.eq(sorted((s["exporter"], s["domain"]) for s in src),
              sorted(agents), "%s: one source per agent and sub-agent, as "
              "telegraf's agent_ip/agent_subid" % n)
        ck.eq(len(self.flows), len(flows),
              "%s: as many flow records as telegraf" % n)
        tcpd = [s for f in self.tcpd for s in f["samples"]
                if s["kind"] == "flow"]
        for i, (r, e) in enumerate(zip(self.flows, flows)):
            label = "%s flow %d" % (n, i)
            got, want, todo = {}, {}, []
            got["ips"], want["ips"] = (r["srcip"], r["dstip"]), \
                (plain(e["src"]), plain(e["dst"]))
            got["exporter"], want["exporter"] = r["exporter"], e["agent_ip"]
            got["sampling"] = r["sampling"]
            want["sampling"] = e["sampling_interval"]
            got["packets"], want["packets"] = r["packets"], \
                e["sampling_interval"]
            # l2_bytes is the raw header's frame length (FCS included)
            got["bytes"], want["bytes"] = r["bytes"], \
                e["l2_bytes"] * e["sampling_interval"]
            p = PROTO.get(e["protocol"], e["protocol"])
            if p == 0 and r["proto"] != 0:
                todo.append(("proto", r["proto"], p, "hopopt"))
            else:
                got["proto"], want["proto"] = r["proto"], p
            if r["proto"] not in (1, 58):
                got["ports"] = (r["srcport"], r["dstport"])
                want["ports"] = (e.get("src_port", 0), e.get("dst_port", 0))
            if "src_tos" in e:
                got["tos"], want["tos"] = r["tos"], e["src_tos"]
            vs = e.get("vlan_src", 0)
            got["vlan"] = r["vlan"]
            want["vlan"] = vs if 0 < vs < 4095 else e.get("vlan_dst", 0)
            got["macs"] = (r["src_mac"], r["dst_mac"])
            want["macs"] = (e["in_src_mac"], e["out_dst_mac"])
            got["outif"], want["outif"] = r["outif"], e.get("out_snmp", 0)
            t = tcpd[i] if i < len(tcpd) else {}
            if e.get("in_snmp") != t.get("input") and \
                    e.get("in_snmp") == t.get("idx"):
                todo.append(("inif", r["inif"], e.get("in_snmp"), "in_snmp"))
            else:
                got["inif"], want["inif"] = r["inif"], e.get("in_snmp")
            diff = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
            ck.ok(not diff, "%s: equals telegraf's (bytes = l2_bytes x "
                  "sampling_interval)" % label, "%r (nftop, telegraf)" % diff)
            for f, g, w, why in todo:
                ck.todo(g == w, "%s: %s equals telegraf's" % (label, f),
                        WHY[why], "nftop %r telegraf %r" % (g, w))
        have = {i["ifindex"]: i for i in self.report.get("interfaces", [])}
        ck.eq(sorted(have), sorted(x["interface"] for x in ifcs),
              "%s: interfaces = telegraf's counter samples" % n)
        for e in ifcs:
            got = have.get(e["interface"], {})
            inp = sum(known(e[k]) for k in ("in_unicast_packets_total",
                                            "in_mcast_packets_total",
                                            "in_broadcast_packets_total"))
            outp = sum(known(e[k]) for k in ("out_unicast_packets_total",
                                             "out_mcast_packets_total",
                                             "out_broadcast_packets_total"))
            want = {"exporter": e["agent_ip"], "iftype": e["interface_type"],
                    "speed": e["speed"], "up": e["status"] == "up",
                    "in_octets": e["in_bytes"], "out_octets": e["out_bytes"],
                    "in_packets": inp, "out_packets": outp,
                    "in_errors": e["in_errors"], "out_errors": e["out_errors"],
                    "in_discards": e["in_dropped_packets"],
                    "out_discards": e["out_dropped_packets"], "samples": 1}
            g = {k: got.get(k) for k in want}
            g["up"] = got.get("status") == 3
            ck.eq(g, want, "%s: interface %d counters equal telegraf's "
                  "(packets = unicast + multicast + broadcast, unknown -1 "
                  "counted as 0)" % (n, e["interface"]))
        nflow = sum(1 for x in self.samples)
        ncnt = len(ifcs)
        self.check_totals(ck, nflow, ncnt)
        if drops:
            # The discarded-packet sample (format 5) is not a flow: nftop
            # skips it by its length and counts it.
            ck.eq([(s["exporter"], s["domain"], s["datagrams"], s["records"],
                    s["unknown_formats"]) for s in src],
                  [(drops[0]["agent_ip"], drops[0]["agent_subid"], 1, 0, 1)],
                  "%s: the discard sample (format 5) is skipped and counted "
                  "in unknown_formats, no record" % n)
        else:
            unk = sum(1 for f in self.tcpd for s in f["samples"]
                      for ent, fmt in s["records"]
                      if ent != 0 or fmt not in (1, 3, 4, 1001, 1002, 1003)
                      or (s["kind"] == "counter" and fmt != 1))
            ck.eq(sum(s["unknown_formats"] for s in src), unk,
                  "%s: unknown_formats = records tcpdump lists that nftop "
                  "does not decode" % n)

    # -- tcpdump counter samples
    def check_tcpdump(self, ck):
        n = self.name
        frames = parse_tcpdump(self.exp)
        ck.eq(len(frames), len(self.frames),
              "%s: tcpdump's decode covers every frame" % n)
        sfl = [f for f in frames if not f["notsflow"]]
        # sources: datagrams, counter samples, sequence gaps
        want = {}
        for f in sfl:
            w = want.setdefault((f["agent"], f["agent_id"]),
                                {"datagrams": 0, "counter_samples": 0,
                                 "flow_samples": 0, "lost": 0, "seq": None})
            w["datagrams"] += 1
            if w["seq"] is not None and f["seq"] != w["seq"]:
                gap = (f["seq"] - w["seq"]) & 0xffffffff
                if gap < 0x80000000:
                    w["lost"] += gap
            w["seq"] = (f["seq"] + 1) & 0xffffffff
            for s in f["samples"]:
                if s["kind"] in ("counter", "flow"):
                    w[s["kind"] + "_samples"] += 1
        for w in want.values():
            del w["seq"]
        got = {(s["exporter"], s["domain"]): {k: s[k] for k in (
            "datagrams", "counter_samples", "flow_samples", "lost")}
            for s in self.sources()}
        ck.eq(got, want, "%s: per agent and sub-agent: datagrams, counter "
              "samples, flow samples, sequence gaps equal tcpdump's" % n)
        src = self.sources()
        ck.eq(sum(s["malformed"] + s["bad_samples"] for s in src), 0,
              "%s: no sFlow datagram or sample malformed" % n)
        unk = sum(1 for f in sfl for s in f["samples"]
                  for ent, fmt in s["records"]
                  if ent != 0 or fmt != 1)
        ck.eq(sum(s["unknown_formats"] for s in src), unk,
              "%s: unknown_formats = counter records other than generic "
              "interface counters (%d)" % (n, unk))
        # interfaces: the latest counters of each (agent, ifindex), the
        # rate from the last two samples, times from the pcap (ms)
        series = {}
        for f in sfl:
            sec, usec, _ = self.frames[f["num"] - 1]
            msec = sec * 1000 + usec // 1000
            for s in f["samples"]:
                c = s.get("counters")
                if s["kind"] == "counter" and c:
                    series.setdefault((f["agent"], c["ifindex"]),
                                      []).append((msec, c))
        have = {(i["exporter"], i["ifindex"]): i
                for i in self.report.get("interfaces", [])}
        ck.eq(len(have), len(self.report.get("interfaces", [])),
              "%s: one interface entry per agent and ifIndex" % n)
        ck.eq(sorted(have), sorted(series),
              "%s: interfaces = the (agent, ifIndex) pairs of tcpdump's "
              "generic counter records (%d)" % (n, len(series)))
        bad = []
        for key, lst in sorted(series.items()):
            msec, c = lst[-1]
            w = {"iftype": c["iftype"], "speed": c["speed"],
                 "status": c["status"],
                 "in_octets": known(c["in_octets"], 64),
                 "out_octets": known(c["out_octets"], 64),
                 "in_packets": sum(known(x) for x in c["in_pkts"]),
                 "out_packets": sum(known(x) for x in c["out_pkts"]),
                 "in_discards": known(c["in_discards"]),
                 "out_discards": known(c["out_discards"]),
                 "in_errors": known(c["in_errors"]),
                 "out_errors": known(c["out_errors"]),
                 "samples": len(lst)}
            bps = [0.0, 0.0]
            for (m0, c0), (m1, c1) in zip(lst, lst[1:]):
                if m1 > m0:
                    for j, d in enumerate(("in_octets", "out_octets")):
                        a, b = known(c0[d], 64), known(c1[d], 64)
                        bps[j] = (b - a) * 8 / ((m1 - m0) / 1000.0) \
                            if b >= a else 0.0
            g = have.get(key, {})
            gg = {k: g.get(k) for k in w}
            if gg != w or abs(g.get("in_bps", -1) - bps[0]) > 0.051 or \
                    abs(g.get("out_bps", -1) - bps[1]) > 0.051:
                bad.append("%s: nftop %r in/out_bps %r/%r, tcpdump %r "
                           "bps %r" % (key, gg, g.get("in_bps"),
                                       g.get("out_bps"), w, bps))
        ck.ok(not bad, "%s: every interface's ifType, speed, status, "
              "octets, packets, errors, discards, sample count and bps "
              "equal tcpdump's counters" % n, "; ".join(bad[:3]))
        nrate = sum(1 for lst in series.values() if len(lst) > 1)
        ck.diag("%s: %d interfaces, %d with two samples (a rate)" %
                (n, len(series), nrate))
        # the 5 frames tcpdump calls "sFlow version 327681/327682" are
        # NetFlow v5 datagrams sent to port 6343 (tshark decodes them as
        # cflow): nftop decodes them as v5, by the version in each datagram
        v5 = self.sources("netflow-v5")
        tsh = os.path.join(self.tmp, n + ".tshark-v5")
        counts = [int(x) for x in open(tsh).read().split()] \
            if os.path.exists(tsh) else []
        ck.eq((sum(s["datagrams"] for s in v5), sum(s["records"] for s in v5),
               sum(s["malformed"] for s in v5)),
              (sum(1 for f in frames if f["notsflow"]), sum(counts), 0),
              "%s: the non-sFlow frames are NetFlow v5: datagrams and "
              "records equal tshark's cflow decode" % n)

    # -- malformed on purpose
    def check_segv(self, ck):
        n = self.name
        src = self.sources()
        frames = parse_tcpdump(self.exp)
        ck.ok(frames and frames[0]["notsflow"],
              "%s: tcpdump calls the datagram invalid" % n)
        ck.eq([(s["datagrams"], s["malformed"], s["records"]) for s in src],
              [(1, 1, 0)], "%s: the datagram is counted malformed, no "
              "record" % n)
        ck.eq(self.report["stats"].get("malformed"), 1,
              "%s: stats.malformed = 1" % n)


# ---------------------------------------------------------------- tools

def send(port, srcaddr, paths, gap=0.002):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((srcaddr, 0))
    n = 0
    for p in paths:
        for pl in payloads(p):
            s.sendto(pl, ("127.0.0.1", port))
            n += 1
            time.sleep(gap)
    s.close()
    return n


def tee(portfile, targets, idle=None):
    """Receive datagrams on 127.0.0.1:0 (port written to portfile) and send
    each one to every 127.0.0.1 target port, in arrival order.  Stops on
    SIGTERM/SIGINT, or after `idle` seconds without a datagram once one
    came.  Prints counts to stdout at exit."""
    import signal
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    rx.bind(("127.0.0.1", 0))
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % rx.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))
    n, nbytes, last = 0, 0, None
    while not stop:
        r, _, _ = select.select([rx], [], [], 0.1)
        if not r:
            if idle and last and time.time() - last > idle:
                break
            continue
        d = rx.recv(65535)
        n += 1
        nbytes += len(d)
        last = time.time()
        for t in targets:
            tx.sendto(d, ("127.0.0.1", t))
            time.sleep(0.0002)
    print("datagrams=%d bytes=%d" % (n, nbytes))
    return 0


def prepare(tmp, corpus):
    """The scenario pcaps in tmp (corpus pcaps linked, payloads wrapped) and
    tmp/send.list (name, source address, pcap); prints the names."""
    with open(os.path.join(tmp, "send.list"), "w") as lst:
        for i, (name, _, files, exp) in enumerate(SCENARIOS):
            out = os.path.join(tmp, name + ".pcap")
            paths = [os.path.join(corpus, f) for f in files]
            for p in paths + [os.path.join(corpus, exp)]:
                if not os.access(p, os.R_OK):
                    print("MISSING %s" % p)
                    return 1
            if files[0].endswith(".pcap"):
                os.symlink(paths[0], out)
            else:
                nfutil.wrap_payloads(out, [open(p, "rb").read()
                                           for p in paths], dport=6343)
            lst.write("%s 127.0.0.%d %s\n" % (name, 11 + i, out))
            print(name)
    return 0


def sendlist(path, ports):
    """Every pcap of a send.list to every port, each scenario from its own
    source address; prints "name count" per scenario."""
    for line in open(path):
        name, src, pcap = line.split()
        n = 0
        for port in ports:
            n = send(port, src, [pcap])
        print(name, n)
    return 0


def main(argv):
    if len(argv) == 3 and argv[0] == "prepare":
        return prepare(argv[1], argv[2])
    if len(argv) >= 3 and argv[0] == "sendlist":
        return sendlist(argv[1], [int(p) for p in argv[2:]])
    if len(argv) >= 3 and argv[0] == "wrap":
        nfutil.wrap_payloads(argv[1], [open(p, "rb").read()
                                       for p in argv[2:]], dport=6343)
        return 0
    if len(argv) >= 4 and argv[0] == "send":
        print(send(int(argv[1]), argv[2], argv[3:]))
        return 0
    if len(argv) == 3 and argv[0] == "corpus":
        return corpus_checks(argv[1], argv[2])
    if len(argv) >= 3 and argv[0] == "tee":
        return tee(argv[1], [int(p) for p in argv[2:]])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
