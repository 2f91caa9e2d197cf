#!/usr/bin/env python3
"""malformed_more.py - the malformed-input cases C55-C80 of
shared/research/reliability.md (b): sFlow v5 (C55-C70) and the capture
path (C71-C80), plus C82 (strings in sFlow records).  C81 and C83 (a
hostile PTR answer, a hostile paste at the filter prompt) need the
terminal and live in tests/tui/strings.t.

It runs on malformed_cases.py's harness (same Case, same checks: named
counters exact, no crash, conservation, the good v5/v9/IPFIX exporters
untouched) with two additions:

  - Frame: a bad entry whose payload is a whole link-layer frame, written
    to the pcap as it is (for the capture cases, which are metered
    packets, not export datagrams);
  - Case.link: the pcap's link type (Ethernet, Linux cooked, raw IP, BSD
    loopback); the good traffic is re-framed for it, so its numbers must
    still equal the Ethernet baseline's.

Capture cases check the meter's counters (report "meter": packets,
not_ip, short, truncated, malformed, fragments) and their conservation:
every frame of the file is an export datagram, a metered packet, a
non-IP packet, or one too short to find an IP header in.

Commands as malformed_cases.py's (run DIR [CASE-ID...], count).
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import malformed_cases as mc  # noqa: E402
from malformed_cases import (B, BAD, BADPORT, Case, Tally, case,  # noqa: E402
                             ip4, src)

mc.CASES.clear()

# ------------------------------------------------------------ sFlow v5
# sflow_version_5.txt: XDR, every field 4 bytes, opaques padded to 4.

AGENT = BAD                     # the bad agent names itself


def u32(*v):
    return struct.pack(">%dI" % len(v), *v)


def xdr_opaque(b):
    return u32(len(b)) + b + b"\0" * (-len(b) % 4)


def sflow(samples, seq=1, agent=AGENT, sub=0, uptime=1000, count=None,
          agent_type=1, tail=b""):
    if count is None:
        count = len(samples)
    if agent_type == 1:
        addr = u32(1, ip4(agent))
    elif agent_type == 2:
        addr = u32(2) + b"\x20\x01\x0d\xb8" + b"\0" * 12
    else:
        addr = u32(agent_type) + u32(ip4(agent))
    return u32(5) + addr + u32(sub, seq, uptime, count) + \
        b"".join(samples) + tail


def record(fmt, data, length=None):
    """A flow or counter record: format, opaque length, data, padding."""
    if length is None:
        length = len(data)
    return u32(fmt, length) + data + b"\0" * (-len(data) % 4)


def flow_sample(records, seq=1, ds=1, rate=100, pool=0, drops=0, inif=1,
                outif=2, nrec=None, length=None, expanded=False,
                ds_type=0):
    if nrec is None:
        nrec = len(records)
    if expanded:
        body = u32(seq, ds_type, ds, rate, pool, drops, 0, inif, 0, outif,
                   nrec)
    else:
        body = u32(seq, ds_type << 24 | ds, rate, pool, drops, inif, outif,
                   nrec)
    body += b"".join(records)
    if length is None:
        length = len(body)
    return u32(3 if expanded else 1, length) + body


def counter_sample(records, seq=1, ds=1, expanded=False, ds_type=0):
    if expanded:
        body = u32(seq, ds_type, ds, len(records))
    else:
        body = u32(seq, ds_type << 24 | ds, len(records))
    body += b"".join(records)
    return u32(4 if expanded else 2, len(body)) + body


def ip_tcp(src_ip, dst_ip, sport=40000, dport=443, ip_len=1000, proto=6,
           frag=0x4000, ihl=5, l4=None):
    if l4 is None:
        l4 = struct.pack(">HHIIBBHHH", sport, dport, 1, 0, 0x50, 0x18,
                         1000, 0, 0) if proto == 6 else \
            struct.pack(">HHHH", sport, dport, 8, 0)
    ip = struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, 0, ip_len, 1, frag, 64,
                     proto, 0, bytes.fromhex("%08x" % ip4(src_ip)),
                     bytes.fromhex("%08x" % ip4(dst_ip)))
    return ip + b"\0" * (ihl * 4 - 20) + l4


ETH = b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00"


def header(src_ip, dst_ip="198.51.100.7", frame_len=1014, stripped=4,
           proto=1, hlen=None, hdr=None, **kw):
    """A sampled_header record (format 1) of an Ethernet/IPv4/TCP frame."""
    if hdr is None:
        hdr = (ETH if proto == 1 else b"") + ip_tcp(src_ip, dst_ip, **kw)
    if hlen is None:
        hlen = len(hdr)
    data = u32(proto, frame_len, stripped, hlen) + hdr + \
        b"\0" * (-len(hdr) % 4)
    return record(1, data)


def sampled_ip4(src_ip, dst_ip="198.51.100.7", length=1000, proto=6):
    return record(3, u32(length, proto, ip4(src_ip), ip4(dst_ip), 40000,
                         443, 0x18, 0))


def if_counters(ifindex=1, length=88):
    d = u32(ifindex, 6) + struct.pack(">Q", 10 ** 9) + u32(1, 3) + \
        struct.pack(">Q", 1000) + u32(1, 2, 3, 0, 0, 0) + \
        struct.pack(">Q", 2000) + u32(4, 5, 6, 0, 0, 0)
    assert len(d) == 88
    return record(1, d[:length])


def ssrc(domain=0, ip=AGENT):
    """An sFlow source: the agent, port 0 (agents are not UDP senders)."""
    return src(ip, 0, "sflow-v5", domain)


def good_sample(t, ip, seq=1, rate=100, frame_len=1014, ds=1):
    t.add(rate, frame_len * rate)
    return flow_sample([header(ip, frame_len=frame_len)], seq=seq, ds=ds,
                       rate=rate)


@case
def c55():
    return Case("C55", "sFlow datagram versions 2, 4, 6: unsupported{3},"
                " nothing decoded",
                B([u32(v) + sflow([])[4:] for v in (2, 4, 6)]),
                stats={"unsupported": 3},
                sources={src(proto="unknown"): {"datagrams": 3}})


@case
def c56():
    short6 = u32(5, 2) + b"\x20\x01\x0d\xb8"        # 16 bytes promised
    return Case("C56", "sFlow agent address type 0 and 3: malformed"
                "{agent_address} x2; IPv6 agent cut short:"
                " malformed{short_header}",
                B([sflow([], agent_type=0), sflow([], agent_type=3),
                   short6]), stats={"malformed": 3},
                sources={src(proto="sflow-v5"): {
                    "datagrams": 3, "malformed": 3,
                    "malformed_by.agent_address": 2,
                    "malformed_by.short_header": 1}})


@case
def c57():
    t = Tally()
    d1 = sflow([good_sample(t, "172.16.57.1")], count=0xFFFFFFFF,
               tail=b"\xff" * 4)
    d2 = sflow([], seq=2, count=0xFFFFFFFF)
    assert len(d1) < 200
    return Case("C57", "sFlow num_samples 2^32-1 in a %d-byte datagram and"
                " in an empty one: the bytes end the walk, the sample"
                " before kept" % len(d1), B([d1, d2]),
                stats={"decoded": 2},
                sources={ssrc(): {"datagrams": 2, "records": 1,
                                  "flow_samples": 1}}, delta=t)


@case
def c58():
    t = Tally()
    over = u32(1, 1000) + b"\0" * 40               # says 1000, has 40
    d = sflow([good_sample(t, "172.16.58.1"), over,
               good_sample(Tally(), "172.16.58.2", seq=2)])
    return Case("C58", "sFlow sample length > bytes remaining: the walk"
                " stops there, bad_samples{1}, the sample before kept",
                B([d]), stats={"decoded": 1},
                sources={ssrc(): {"datagrams": 1, "records": 1,
                                  "flow_samples": 1, "bad_samples": 1}},
                delta=t)


@case
def c59():
    t = Tally()
    short = u32(1, 8) + u32(1, 1)                   # 8 bytes of sample
    d = sflow([short, good_sample(t, "172.16.59.1", seq=2)])
    return Case("C59", "sFlow flow sample of 8 bytes, then a valid one: the"
                " short one dropped (bad_samples{1}), the next parsed from"
                " its declared boundary", B([d]), stats={"decoded": 1},
                sources={ssrc(): {"datagrams": 1, "records": 1,
                                  "flow_samples": 1, "bad_samples": 1}},
                delta=t)


@case
def c60():
    t = Tally()
    longrec = flow_sample([record(1, b"\0" * 16, length=400)], seq=1)
    many = flow_sample([header("172.16.60.9")], seq=2, nrec=0xFFFFFFFF)
    d = sflow([longrec, many, good_sample(t, "172.16.60.1", seq=3)])
    return Case("C60", "sFlow flow record longer than its sample; flow"
                " record count 2^32-1 with one record: both samples dropped"
                " (bad_samples{2}), the sibling kept", B([d]),
                stats={"decoded": 1},
                sources={ssrc(): {"datagrams": 1, "records": 1,
                                  "flow_samples": 1, "bad_samples": 2}},
                delta=t)


def with_vlan(recs_):
    """An extended switch record (1001) after recs_: VLAN 42 proves the
    cursor found the record after the sampled header."""
    return recs_ + [record(1001, u32(42, 0, 42, 0))]


@case
def c61():
    t = Tally()
    hdr = ETH + ip_tcp("172.16.61.1", "198.51.100.7")
    # header_length beyond its record; past 65535; 62 bytes (XDR pads
    # it to 64) with a record after it; header longer than the frame
    past_rec = flow_sample([header("172.16.61.9", hlen=200)], seq=1)
    huge = flow_sample([header("172.16.61.9", hlen=70000)], seq=2)
    odd = hdr[:62]
    t.add(100, 1014 * 100)
    padded = flow_sample(with_vlan([header("172.16.61.1", hdr=odd)]),
                         seq=3)
    t.add(100, 40 * 100)
    longer = flow_sample([header("172.16.61.2", frame_len=40)], seq=4)
    d = sflow([past_rec, huge, padded, longer])

    def flows(recs_, fail):
        mine = {r["srcip"]: r for r in recs_ if r["exporter"] == BAD}
        r = mine.get("172.16.61.1")
        if r is None or r["vlan"] != 42 or r["srcport"] != 40000:
            fail("62-byte header: record %r, want VLAN 42 and port 40000 "
                 "(XDR padding honoured)" % r)
        if set(mine) != {"172.16.61.1", "172.16.61.2"}:
            fail("records from %s" % sorted(mine))
    return Case("C61", "sFlow header_length > its record, > 65535: no key"
                " (no_header{2}); 62 bytes: XDR padding honoured (the next"
                " record read); header > frame_length: implausible{1}",
                B([d]), stats={"decoded": 1},
                sources={ssrc(): {"datagrams": 1, "records": 2,
                                  "flow_samples": 4, "no_header": 2,
                                  "implausible": 1}}, delta=t,
                flows=flows)


@case
def c62():
    t = Tally()
    a = flow_sample([header("172.16.62.1", frame_len=100, stripped=200,
                            hdr=ETH + ip_tcp("172.16.62.1", "198.51.100.7",
                                             ip_len=60)[:40])], seq=1)
    t.add(100, 100 * 100)
    b = flow_sample([header("172.16.62.2", frame_len=300, ip_len=1500)],
                    seq=2)
    t.add(100, 300 * 100)
    return Case("C62", "sFlow stripped > frame_length; frame_length < the"
                " IP total length (Juniper): no underflow, bytes = frame"
                " length x rate, implausible{2}", B([sflow([a, b])]),
                stats={"decoded": 1},
                sources={ssrc(): {"datagrams": 1, "records": 2,
                                  "flow_samples": 2, "implausible": 2}},
                delta=t)


@case
def c63():
    t = Tally()
    z = flow_sample([header("172.16.63.1", frame_len=500)], rate=0)
    t.add(1, 500)

    def check(run, fail):
        for s in run.r["sources"]:
            if s["exporter"] == BAD and s["sampling"] != 1:
                fail("sampling %d, want 1" % s["sampling"])
    return Case("C63", "sFlow sampling_rate 0: counted once (x1), never a"
                " divisor, implausible{1}", B([sflow([z])]),
                stats={"decoded": 1},
                sources={ssrc(): {"datagrams": 1, "records": 1,
                                  "flow_samples": 1, "implausible": 1}},
                delta=t, check=check)


@case
def c64():
    t = Tally()
    n_dg, per = 200, 20             # 4000 samples: 2^32-1 x 65535 each
    dgs = []
    for i in range(n_dg):
        ss = []
        for j in range(per):
            k = i * per + j
            ss.append(flow_sample([header("172.17.%d.%d" % (k // 250,
                                                            k % 250 + 1),
                                          frame_len=65535)],
                                  seq=k + 1, rate=0xFFFFFFFF))
            t.add(0xFFFFFFFF, 65535 * 0xFFFFFFFF)
        dgs.append(sflow(ss, seq=i + 1))
    big = 65535 * 0xFFFFFFFF

    def check(run, fail):
        rows = [x for x in run.r["top"]
                if x["key"]["exporter"] == BAD]
        if len(rows) != n_dg * per or any(x["bytes"] != big or
                                          x["packets"] != 0xFFFFFFFF
                                          for x in rows):
            fail("%d rows; want %d of %d bytes each" %
                 (len(rows), n_dg * per, big))
    return Case("C64", "sFlow rate 2^32-1 x frame 65535 in 4000 samples:"
                " bytes 2^48 each and %.3g in all, computed in 64 bits" %
                t.bytes, B(dgs), stats={"decoded": n_dg},
                sources={ssrc(): {"datagrams": n_dg, "records": n_dg * per,
                                  "flow_samples": n_dg * per}}, delta=t,
                check=check)


@case
def c65():
    t = Tally()
    dgs = [sflow([flow_sample([header("172.16.65.%d" % (i + 1))],
                              seq=i + 1, pool=pool, rate=64)], seq=i + 1)
           for i, pool in enumerate([5000, 4000, 4000, 0])]
    t.add(64, 1014 * 64, 4)

    def check(run, fail):
        for s in run.r["sources"]:
            if s["exporter"] == BAD and s["sampling"] != 64:
                fail("sampling %d, want 64" % s["sampling"])
    return Case("C65", "sFlow sample_pool falling, then unchanged, then 0:"
                " the sample's rate (64) stays in force, no division",
                B(dgs), stats={"decoded": 4},
                sources={ssrc(): {"datagrams": 4, "records": 4,
                                  "flow_samples": 4}}, delta=t,
                check=check)


def gateway(segs, first_seg_count, communities):
    """extended_gateway (1003): next hop, AS, src AS, src peer AS, then
    the AS path segments and communities as counts with few bytes."""
    d = u32(1, ip4("192.0.2.1"), 64500, 64501, 64502, segs)
    d += u32(2, first_seg_count, 65001)
    d += u32(communities, 7, 100)
    return record(1003, d)


@case
def c66():
    t = Tally()
    a = flow_sample([header("172.16.66.1"), gateway(2 ** 30, 1, 0)], seq=1)
    b = flow_sample([header("172.16.66.2"), gateway(1, 2 ** 30,
                                                    0xFFFFFFFF)], seq=2)
    t.add(100, 101400, 2)

    def flows(recs_, fail):
        mine = sorted((r["srcip"], r["dstas"]) for r in recs_
                      if r["exporter"] == BAD)
        if mine != [("172.16.66.1", 0), ("172.16.66.2", 0)]:
            fail("records %r: want both kept with no destination AS" %
                 mine)
    return Case("C66", "sFlow extended_gateway with 2^30 AS-path segments,"
                " a segment of 2^30 ASes, 2^32-1 communities: counts"
                " checked against the bytes, the gateway record skipped,"
                " the samples kept", B([sflow([a, b])]),
                stats={"decoded": 1},
                sources={ssrc(): {"datagrams": 1, "records": 2,
                                  "flow_samples": 2}}, delta=t, flows=flows)


@case
def c67():
    t = Tally()
    a = flow_sample([header("172.16.67.1")], expanded=True, ds_type=7,
                    ds=0xFFFFFFFF, inif=0xFFFFFFFF, outif=0xFFFFFFFF)
    t.add(100, 101400)
    c = counter_sample([if_counters(0xFFFFFFFF)], expanded=True,
                       ds_type=9, ds=0xFFFFFFFF)

    def flows(recs_, fail):
        mine = [(r["inif"], r["outif"]) for r in recs_
                if r["exporter"] == BAD]
        if mine != [(0xFFFFFFFF, 0xFFFFFFFF)]:
            fail("interfaces %r, want ifIndex 0xffffffff kept" % mine)
    return Case("C67", "sFlow expanded samples with source_id_type 7/9 and"
                " ifIndex 0xffffffff: accepted, kept as numbers",
                B([sflow([a, c])]), stats={"decoded": 1},
                sources={ssrc(): {"datagrams": 1, "records": 1,
                                  "flow_samples": 1,
                                  "counter_samples": 1}}, delta=t,
                flows=flows)


@case
def c68():
    c = counter_sample([if_counters(3, length=40),
                        record(4300 << 12 | 1001, b"\x01" * 20),
                        if_counters(4)])

    def check(run, fail):
        got = sorted(i["ifindex"] for i in run.r.get("interfaces", [])
                     if i["exporter"] == BAD)
        if got != [4]:
            fail("interfaces %r, want [4] (the short record skipped)" % got)
    return Case("C68", "sFlow if_counters of 40 bytes (< 88) and an unknown"
                " (4300, 1001) record: skipped by their lengths"
                " (bad_samples{1}, unknown_formats{1}), the next record read",
                B([sflow([c])]), stats={"decoded": 1},
                sources={ssrc(): {"datagrams": 1, "counter_samples": 1,
                                  "bad_samples": 1, "unknown_formats": 1}},
                check=check)


@case
def c69():
    t = Tally()
    a = flow_sample([header("172.16.69.1", proto=0)], seq=1)
    b = flow_sample([header("172.16.69.2", proto=15)], seq=2)
    c = good_sample(t, "172.16.69.3", seq=3)
    return Case("C69", "sFlow header_protocol 0 and 15: samples counted,"
                " headers not decoded (no_header{2}), the datagram goes on",
                B([sflow([a, b, c])]), stats={"decoded": 1},
                sources={ssrc(): {"datagrams": 1, "records": 1,
                                  "flow_samples": 3, "no_header": 2}},
                delta=t)


@case
def c70():
    t = Tally()
    # sub-agent 0: datagrams 1 2 4 (one lost), its data source's samples
    # 1 2 5 (two lost); sub-agent 1 beside it: 10 11 12, samples 7 8 9
    plan = [(0, 1, 1), (1, 10, 7), (0, 2, 2), (1, 11, 8), (0, 4, 5),
            (1, 12, 9)]
    dgs = [sflow([good_sample(t, "172.16.70.%d" % (i + 1), seq=sseq)],
                 seq=seq, sub=sub) for i, (sub, seq, sseq) in
           enumerate(plan)]
    return Case("C70", "sFlow sequences per (agent, sub-agent): sub 0 lost"
                " 1 datagram and 2 samples; sub 1 interleaved, nothing"
                " lost", B(dgs), stats={"decoded": 6},
                sources={ssrc(0): {"datagrams": 3, "records": 3,
                                   "flow_samples": 3, "lost": 1,
                                   "samples_lost": 2},
                         ssrc(1): {"datagrams": 3, "records": 3,
                                   "flow_samples": 3}}, delta=t)


@case
def c82():
    t = Tally()
    evil = b"\x1b]0;PWNED\x07\x1b[2J\r\nX\xe2\x80\xae\xc2\x9b\xff\xfe"
    # extended_user (1004), extended_url (1005), extended_mpls_tunnel
    # (1008): strings nftop does not decode; they must reach no output
    user = record(1004, u32(3) + xdr_opaque(evil) + u32(3) +
                  xdr_opaque(evil))
    url = record(1005, u32(1) + xdr_opaque(evil) + xdr_opaque(evil))
    tun = record(1008, xdr_opaque(evil) + u32(1, 2))
    a = flow_sample([header("172.16.82.1"), user, url, tun])
    t.add(100, 101400)

    def text(lines, fail):
        blob = "\n".join(lines)
        if "PWNED" in blob or "\x1b" in blob or "\u202e" in blob:
            fail("an sFlow string reached the output")
        if not any("172.16.82.1" in x for x in lines):
            fail("the sample's record is missing")
    return Case("C82", "sFlow extended_user/url/mpls_tunnel strings with"
                " ESC, OSC, CR/LF, U+202E, U+009B, bad UTF-8: skipped by"
                " length (unknown_formats{3}), nothing reaches the output",
                B([sflow([a])]), stats={"decoded": 1},
                sources={ssrc(): {"datagrams": 1, "records": 1,
                                  "flow_samples": 1,
                                  "unknown_formats": 3}}, delta=t,
                text=text)


# ------------------------------------------------------------ capture
# The meter's packets: frames written to the pcap as they are, beside the
# good exporters' datagrams re-framed for the case's link type.

DLT_NULL, DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL = 0, 1, 101, 113


class Frame(bytes):
    """A whole frame for a pcap of link type `link`, not a UDP payload;
    wirelen: its length on the wire when the capture cut it short."""
    link = DLT_EN10MB
    wirelen = None


def frame_for(link, eth_frame):
    """An Ethernet/IPv4 frame re-framed for another link type."""
    ip = eth_frame[14:]
    if link == DLT_EN10MB:
        return eth_frame
    if link == DLT_LINUX_SLL:
        return struct.pack(">HHH8sH", 0, 1, 6, b"\x02" + b"\0" * 7,
                           0x0800) + ip
    if link == DLT_NULL:
        return struct.pack("<I", 2) + ip
    return ip


def write_pcap(path, pkts):
    """malformed_cases.write_pcap, with Frames and their link type."""
    link = next((p[2].link for p in pkts if isinstance(p[2], Frame)),
                DLT_EN10MB)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144,
                            link))
        for i, (src_, sport, pl) in enumerate(pkts):
            fr = pl if isinstance(pl, Frame) else \
                frame_for(link, mc.frame(src_, sport, pl))
            ts = mc.T0 * 1000000 + 1000000 + i * 1000
            f.write(struct.pack("<IIII", ts // 1000000, ts % 1000000,
                                len(fr), getattr(fr, "wirelen", None) or
                                len(fr)))
            f.write(fr)


mc.write_pcap = write_pcap


def F(data, link=DLT_EN10MB):
    f = Frame(data)
    f.link = link
    f.wirelen = getattr(data, "wirelen", None)
    return f


def cut(data, n):
    """The first n bytes of a frame, as a capture with snaplen n keeps."""
    f = Frame(data[:n])
    f.wirelen = len(data)
    return f


def eth(payload, ethertype=0x0800, tags=()):
    b = b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02"
    for t in tags:
        b += struct.pack(">HH", t, 100)
    return b + struct.pack(">H", ethertype) + payload


def ip6(src_ip6, nh, payload, plen=None):
    if plen is None:
        plen = len(payload)
    return struct.pack(">IHBB", 0x60000000, plen, nh, 64) + \
        bytes.fromhex("20010db8" + "0" * 20 + "%04x" % src_ip6) + \
        bytes.fromhex("20010db8" + "0" * 20 + "beef") + payload


TCP = struct.pack(">HHIIBBHHH", 40000, 443, 1, 0, 0x50, 0x18, 1000, 0, 0)
METER_KEYS = ("packets", "not_ip", "truncated", "malformed", "fragments")


def meter_case(cid, title, frames, meter, rows=None, link=DLT_EN10MB):
    """frames are metered (or not); meter: the counters they must move;
    rows: {srcip: (srcport, dstport, proto, packets, bytes)} of the
    metered aggregate rows, checked exactly when given."""
    bad = [(BAD, BADPORT, F(f, link)) for f in frames]

    def check(run, fail):
        m = run.r.get("meter", {})
        got = {k: m.get(k, 0) for k in METER_KEYS}
        want = {k: meter.get(k, 0) for k in METER_KEYS}
        if got != want:
            fail("meter %r, want %r" % (got, want))
        frames_in = len(bad) + 18
        seen = run.r["stats"]["datagrams"] + m.get("packets", 0) + \
            m.get("not_ip", 0)
        if seen != frames_in:
            fail("conservation: %d datagrams + %d metered + %d not IP"
                 " != %d frames" % (run.r["stats"]["datagrams"],
                                    m.get("packets", 0), m.get("not_ip", 0),
                                    frames_in))
        if rows is None:
            return
        mine = {t["key"]["srcip"]: (t["key"]["srcport"],
                                    t["key"]["dstport"], t["key"]["proto"],
                                    t["packets"], t["bytes"])
                for t in run.r["top"] if t["key"]["exporter"] == "::"}
        if mine != rows:
            fail("metered rows %r, want %r" % (mine, rows))
    return Case(cid, title, bad, stats={}, sources=None, check=check,
                mode="pcap", metered=meter.get("packets", 0))


@case
def c71():
    tcp4 = ip_tcp("172.16.71.1", "198.51.100.7", ip_len=40)
    out = []
    for link, name, lens in ((DLT_EN10MB, "Ethernet", (0, 1, 13)),
                             (DLT_LINUX_SLL, "Linux cooked", (0, 15)),
                             (DLT_RAW, "raw IP", (0, 1)),
                             (DLT_NULL, "BSD loopback", (0, 3))):
        full = frame_for(link, eth(tcp4))
        out.append(meter_case(
            "C71", "%s capture shorter than its link header (caplen %s):"
            " not_ip{%d}, no flow; the good exports in the same file"
            " decoded as with Ethernet" % (name, ",".join(map(str, lens)),
                                           len(lens)),
            [full[:n] for n in lens], {"not_ip": len(lens)}, rows={},
            link=link))
    return out


@case
def c72():
    def v4(ihl=5, tot=40, src_ip="172.16.72.1"):
        return eth(ip_tcp(src_ip, "198.51.100.7", ip_len=tot, ihl=ihl))
    frames = [v4(ihl=4, src_ip="172.16.72.1"),
              cut(v4(ihl=15, tot=80, src_ip="172.16.72.2"), 14 + 40),
              v4(tot=10, src_ip="172.16.72.3"),
              v4(tot=1500, src_ip="172.16.72.4")]
    return meter_case("C72", "IPv4 IHL 4; IHL 15 beyond the capture; total"
                      " length 10 < header; total length 1500 > the wire's"
                      " 54: malformed{3} truncated{1}, bytes never more"
                      " than the wire carried", frames,
                      {"packets": 4, "malformed": 3, "truncated": 1},
                      rows={"172.16.72.1": (0, 0, 6, 1, 40),
                            "172.16.72.2": (0, 0, 6, 1, 80),
                            "172.16.72.3": (0, 0, 6, 1, 10),
                            "172.16.72.4": (40000, 443, 6, 1, 54)})


@case
def c73():
    later = eth(ip_tcp("172.16.73.1", "198.51.100.7", ip_len=40,
                       frag=0x0064, l4=b"\x9c\x40\x01\xbb" + b"\0" * 16))
    first = eth(ip_tcp("172.16.73.2", "198.51.100.7", ip_len=40,
                       frag=0x2000))
    return meter_case("C73", "non-first IPv4 fragment: ports not read from"
                      " its payload (0/0), fragments{1}; a first fragment"
                      " keeps its ports", [later, first],
                      {"packets": 2, "fragments": 1},
                      rows={"172.16.73.1": (0, 0, 6, 1, 40),
                            "172.16.73.2": (40000, 443, 6, 1, 40)})


def sip6(n):
    return "2001:db8::%x" % n


@case
def c74():
    f = eth(ip6(0x74, 0, b"", plen=8), ethertype=0x86dd)
    assert len(f) == 14 + 40
    return meter_case("C74", "IPv6 next header 0 (hop-by-hop) with the"
                      " capture ending at byte 40: truncated{1}, no"
                      " over-read, no hang", [f],
                      {"packets": 1, "truncated": 1},
                      rows={sip6(0x74): (0, 0, 0, 1, 48)})


@case
def c75():
    chain = b"".join(struct.pack(">BB6x", 60 if i < 99 else 6, 0)
                     for i in range(100))
    f = eth(ip6(0x75, 60, chain + TCP), ethertype=0x86dd)
    return meter_case("C75", "IPv6 chain of 100 destination-options headers:"
                      " capped at 8, malformed{1}, bounded work", [f],
                      {"packets": 1, "malformed": 1},
                      rows={sip6(0x75): (0, 0, 60, 1, 40 + 800 + 20)})


@case
def c76():
    past = eth(ip6(0x76, 60, struct.pack(">BB", 6, 200) + b"\0" * 1614),
               ethertype=0x86dd)
    past = cut(past, 14 + 40 + 16)
    frag = eth(ip6(0x77, 44, b"\x06\0\0", plen=8), ethertype=0x86dd)
    return meter_case("C76", "IPv6 extension header longer than the capture;"
                      " fragment header cut at 3 bytes: truncated{2}",
                      [past, frag], {"packets": 2, "truncated": 2},
                      rows={sip6(0x76): (0, 0, 6, 1, 1656),
                            sip6(0x77): (0, 0, 6, 1, 48)})


@case
def c77():
    pkt = ip_tcp("172.16.77.1", "198.51.100.7", ip_len=40)
    deep_vlan = eth(pkt, tags=[0x8100] * 100)
    labels = b"".join(struct.pack(">I", (16 + i) << 12 | 64)
                      for i in range(11)) + struct.pack(">I", 99 << 12 |
                                                        0x100 | 64)
    deep_mpls = eth(labels + pkt, ethertype=0x8847)
    two = eth(ip_tcp("172.16.77.2", "198.51.100.7", ip_len=40),
              tags=[0x88a8, 0x8100])
    three = eth(struct.pack(">III", 16 << 12, 17 << 12, 18 << 12 | 0x100) +
                ip_tcp("172.16.77.3", "198.51.100.7", ip_len=40),
                ethertype=0x8847)
    frames = [deep_vlan] * 5 + [deep_mpls] * 5 + [two] * 3 + [three] * 3
    return meter_case("C77", "802.1Q stack 100 deep and 12 MPLS labels, 5"
                      " identical packets each: beyond the caps (4 tags, 8"
                      " labels), not_ip{10}, no flows; 2 tags and 3 labels,"
                      " 3 identical packets each: one flow each", frames,
                      {"packets": 6, "not_ip": 10},
                      rows={"172.16.77.2": (40000, 443, 6, 3, 120),
                            "172.16.77.3": (40000, 443, 6, 3, 120)})


@case
def c78():
    inner4 = ip_tcp("10.1.1.1", "10.2.2.2", ip_len=40)
    inner6 = ip6(0x78, 4, inner4)
    gre = struct.pack(">HH", 0, 0x86dd) + inner6
    outer = ip_tcp("172.16.78.1", "198.51.100.7", proto=47,
                   ip_len=20 + len(gre), l4=gre)
    ipip = ip_tcp("172.16.78.2", "198.51.100.7", proto=4, ip_len=60,
                  l4=inner4)
    frames = [eth(outer)] * 3 + [eth(ipip)] * 2
    return meter_case("C78", "IPv4-in-IPv6-in-GRE-in-IPv4 and IP-in-IP: not"
                      " decapsulated, metered by the outer header (proto"
                      " 47 and 4), one flow each", frames, {"packets": 5},
                      rows={"172.16.78.1": (0, 0, 47, 3, 3 * (24 + 80)),
                            "172.16.78.2": (0, 0, 4, 2, 120)})


@case
def c79():
    def tcp(src_ip, l4):
        return eth(ip_tcp(src_ip, "198.51.100.7", ip_len=20 + len(l4),
                          l4=l4))
    off2 = struct.pack(">HHIIBBHHH", 40000, 443, 1, 0, 0x20, 0x02, 1, 0, 0)
    off15 = struct.pack(">HHIIBBHHH", 40001, 443, 1, 0, 0xf0, 0x02, 1, 0, 0)
    frames = [tcp("172.16.79.1", off2), tcp("172.16.79.2", off15),
              tcp("172.16.79.3", b"\x9c\x42"),
              tcp("172.16.79.4", b"\x9c\x43\x01\xbb")]
    return meter_case("C79", "TCP data offset 2 and 15 (beyond the capture):"
                      " ports and flags read from the fixed header; 2 bytes"
                      " of TCP: no ports; 4 bytes: ports, truncated{2}",
                      frames, {"packets": 4, "truncated": 2},
                      rows={"172.16.79.1": (40000, 443, 6, 1, 40),
                            "172.16.79.2": (40001, 443, 6, 1, 40),
                            "172.16.79.3": (0, 0, 6, 1, 22),
                            "172.16.79.4": (40003, 443, 6, 1, 24)})


# C80: the file itself is damaged.  These are not Cases (no good traffic
# to interleave): each file holds a good export datagram first, then the
# damage; nftop must exit 0 with one report, keep the datagram, and count
# a damaged file in read.errors and faults.read_errors, naming it on
# stderr; libpcap's tolerated oddities (caplen > snaplen, caplen > len)
# are read as packets.

def c80_files():
    pay = mc.v5([mc.v5_rec("172.16.80.1", "198.51.100.1", 2, 300,
                           UPTIME0 - 5, UPTIME0 - 1)], 0)
    good = mc.frame(BAD, BADPORT, pay)
    fr = bytes(60)

    def hdr(snap):
        return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snap, 1)

    def rec(cap, ln, data):
        return struct.pack("<IIII", mc.T0, 0, cap, ln) + data

    def epb(data, blen=None):
        blen = blen or 32 + len(data) + (-len(data) % 4)
        return struct.pack("<IIIIIII", 6, blen, 0, 0, 0, len(data),
                           len(data)) + data + b"\0" * (-len(data) % 4) + \
            struct.pack("<I", blen)
    shb = struct.pack("<IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + \
        struct.pack("<I", 28)
    idb = struct.pack("<IIHHI", 1, 20, 1, 0, 262144) + struct.pack("<I", 20)
    return [
        ("caplen > snaplen", hdr(len(good)) + rec(len(good), len(good), good) +
         rec(100, 100, bytes(100)), 0, 2),
        ("caplen > len", hdr(262144) + rec(len(good), len(good), good) +
         rec(60, 40, fr), 0, 2),
        ("cut mid-record", hdr(262144) + rec(len(good), len(good), good) +
         rec(60, 60, fr[:30]), 1, 1),
        ("caplen 2^31-1", hdr(262144) + rec(len(good), len(good), good) +
         rec(0x7FFFFFFF, 0x7FFFFFFF, fr), 1, 1),
        ("pcapng block length 2^31-16", shb + idb + epb(good) +
         epb(fr, blen=0x7FFFFFF0), 1, 1),
        ("pcapng block length 12", shb + idb + epb(good) + epb(fr, blen=12),
         1, 1),
    ]


UPTIME0 = mc.UPTIME0


def c80_run(outdir):
    for name, data, errors, packets in c80_files():
        errs = []
        path = os.path.join(outdir, "c80-%d.pcap" % len(data))
        with open(path, "wb") as f:
            f.write(data)
        try:
            p = mc.subprocess.run([mc.NFTOP, "--batch", "--read", path,
                                   "--format", "json"],
                                  stdout=mc.subprocess.PIPE,
                                  stderr=mc.subprocess.PIPE,
                                  timeout=mc.RUN_TIMEOUT)
            err = p.stderr.decode("utf-8", "replace")
            run = mc.parse_out(p.stdout.decode(), err, p.returncode, False,
                               "json", 0)
            r = run.r
            got = (r["read"]["errors"], r["faults"]["read_errors"],
                   r["read"]["packets"])
            if got != (errors, errors, packets):
                errs.append("read.errors, faults.read_errors, read.packets"
                            " %r, want %r" % (got, (errors, errors,
                                                    packets)))
            if errors and path not in err:
                errs.append("stderr does not name the file: %r" % err)
            if r["stats"]["decoded"] != 1 or r["totals"]["bytes"] != 300:
                errs.append("the good datagram before the damage: decoded"
                            " %d, bytes %d" % (r["stats"]["decoded"],
                                               r["totals"]["bytes"]))
        except Exception as e:
            errs.append("%s: %s" % (type(e).__name__, e))
        mc.emit(not errs, "C80 --read file %s: %s, exit 0, the datagram"
                " before it kept" % (name, "read_errors{1}, named on stderr"
                                     if errors else "read as packets"),
                errs)


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "count":
        print(len(mc.expand()) + len(c80_files()))
        return
    mc.main()
    if len(sys.argv) >= 3 and sys.argv[1] == "run" and \
            (not sys.argv[3:] or "C80" in sys.argv[3:]):
        c80_run(sys.argv[2])


if __name__ == "__main__":
    main()
