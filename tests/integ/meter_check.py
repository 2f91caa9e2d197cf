#!/usr/bin/env python3
"""meter_check.py - packet-metering helpers for meter-peer.t (Python 3,
stdlib only).

    meter_check.py ports N
        N free UDP ports on 127.0.0.1, one a line
    meter_check.py peer TMP NAME...
        PASS/FAIL/TODO lines comparing nftop (TMP/NAME.flows) with
        softflowd via nfcapd (TMP/NAME.nfdump.csv, nfdump -o csv), with
        tshark's per-packet fields (TMP/NAME.tshark) for the Ethernet
        trailer that softflowd counts as IP bytes; writes TMP/NAME.nftop.csv
        and TMP/NAME.softflowd.csv (compare-flows.py input)
    meter_check.py ndpi TMP NAME...
        PASS/FAIL/TODO lines (lib-checks.sh) comparing nftop with nDPI's
        expected flows for each NAME (files TMP/NAME.flows,
        TMP/NAME.tshark, CORPUS/ndpi/NAME.flows.expected.txt via
        TMP/NAME.expected)

Canonical flow CSV (compare-flows.py, peer-oracle.sh): ipver,src,dst,
sport,dport,proto,packets,bytes; ICMP: sport 0, dport = type*256+code, as
nftop, NetFlow and nfdump write it.
"""
import ipaddress
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nfutil  # noqa: E402
from sflow_check import Checks  # noqa: E402

PROTO = {"TCP": 6, "UDP": 17, "ICMP": 1, "ICMPV6": 58, "IGMP": 2,
         "GRE": 47, "SCTP": 132, "ESP": 50}


def metered(path):
    return [r for r in nfutil.json_lines(path) if r.get("protocol") == "pcap"]


# nfdump 1.7's protocol names (-o csv "pr" column) for what these
# captures hold; any other name fails loudly in nfdump_canon.
NFDUMP_PROTO = {"ICMP": 1, "IGMP": 2, "TCP": 6, "UDP": 17, "IPv6": 41,
                "GRE": 47, "ESP": 50, "ICMP6": 58, "SCTP": 132}


def nfdump_canon(path):
    """nfdump -o csv -> {(ipver, src, dst, sport, dport, proto): [packets,
    bytes]} summed by 5-tuple; ICMP: sport 0, dport = type*256+code."""
    out = {}
    hdr = None
    for line in open(path):
        c = [x.strip() for x in line.rstrip("\n").split(",")]
        if hdr is None:
            if c and c[0] == "ts":
                hdr = {k: i for i, k in enumerate(c)}
            continue
        if len(c) != len(hdr) or not re.match(r"\d{4}-", c[0]):
            continue
        pr = c[hdr["pr"]]
        pr = int(pr) if pr.isdigit() else NFDUMP_PROTO[pr]
        sa = str(ipaddress.ip_address(c[hdr["sa"]]))
        da = str(ipaddress.ip_address(c[hdr["da"]]))
        sp, dp = c[hdr["sp"]], c[hdr["dp"]]
        if "." in dp:
            t, cd = dp.split(".")
            dp = int(t) * 256 + int(cd)
        sp, dp = int(float(sp)), int(dp)
        if pr in (1, 58):
            sp = 0
        k = (6 if ":" in sa else 4, sa, da, sp, dp, pr)
        o = out.setdefault(k, [0, 0])
        o[0] += int(c[hdr["ipkt"]])
        o[1] += int(c[hdr["ibyt"]])
    return out


def nftop_canon(path):
    out = {}
    for r in metered(path):
        k = (6 if ":" in r["srcip"] else 4, str(ipaddress.ip_address(
            r["srcip"])), str(ipaddress.ip_address(r["dstip"])),
             r["srcport"], r["dstport"], r["proto"])
        c = out.setdefault(k, [0, 0])
        c[0] += r["packets"]
        c[1] += r["bytes"]
    return out


def write_canon(table, path):
    with open(path, "w") as f:
        f.write("ipver,src,dst,sport,dport,proto,packets,bytes\n")
        for k in sorted(table, key=str):
            f.write("%s,%d,%d\n" % (",".join(str(x) for x in k),
                                    table[k][0], table[k][1]))


def _first(v, conv=int, default=None):
    v = v.split(",")[0] if v else ""
    return conv(v) if v else default


def tshark_packets(path):
    """Per packet, from the tshark fields meter-peer.t asks for (IP
    reassembly off): (directional key as nftop writes it, bidirectional
    key as nDPI counts it, frame length, link-layer bytes = frame length -
    IP length, Ethernet trailer = link-layer bytes - Ethernet header and
    802.1Q tags).  The outer IP header decides (tunnels are not opened)."""
    out = []
    for line in open(path):
        c = line.rstrip("\n").split("\t")
        c += [""] * (21 - len(c))
        (flen, ilen, plen, ipp, nxt, s4, d4, s6, d6, tsp, tdp, usp, udp,
         hop, frag, vlan, it, ic, i6t, i6c, _) = c[:21]
        if not flen:
            continue
        if s4:
            src, dst = _first(s4, str), _first(d4, str)
            iplen, proto = _first(ilen), _first(ipp)
        elif s6:
            src, dst = _first(s6, str), _first(d6, str)
            iplen = _first(plen) + 40
            proto = _first(frag) if frag else _first(hop) if hop else \
                _first(nxt, int, 0)
        else:
            continue
        src = str(ipaddress.ip_address(src))
        dst = str(ipaddress.ip_address(dst))
        sp = _first(tsp or usp, int, 0)
        dp = _first(tdp or udp, int, 0)
        if proto == 1:
            sp, dp = 0, _first(it, int, 0) * 256 + _first(ic, int, 0)
        elif proto == 58:
            sp, dp = 0, _first(i6t, int, 0) * 256 + _first(i6c, int, 0)
        elif proto not in (6, 17):
            sp = dp = 0
        ver = 6 if ":" in src else 4
        link = int(flen) - iplen
        tags = len(vlan.split(",")) if vlan else 0
        bi = bikey(proto, (src, sp), (dst, dp), ports=proto in (6, 17))
        out.append(((ver, src, dst, sp, dp, proto), bi, int(flen), link,
                    link - 14 - 4 * tags))
    return out


def peer_checks(tmp, names):
    """nftop against softflowd (IPFIX via nfcapd), per 5-tuple."""
    ck = Checks()
    for name in names:
        base = os.path.join(tmp, name)
        mine = nftop_canon(base + ".flows")
        sfd = nfdump_canon(base + ".nfdump.csv")
        write_canon(mine, base + ".nftop.csv")
        write_canon(sfd, base + ".softflowd.csv")
        trailer = {}
        pkts = tshark_packets(base + ".tshark")
        for k, _, _, _, tr in pkts:
            trailer[k] = trailer.get(k, 0) + tr
        # Every IP packet is metered: none is taken for an export datagram
        # (nothing in these captures is one) and none is lost.
        rep = nfutil.last_json(base + ".json") or {}
        m = rep.get("meter", {})
        got = (m.get("packets"), [(s["protocol"], s["exporter"],
                                   s["datagrams"])
                                  for s in rep.get("sources", [])
                                  if s["protocol"] != "pcap"])
        desc = "%s: nftop meters every IP packet tshark sees (%d) and " \
            "takes none for a flow export" % (name, len(pkts))
        ck.eq(got, (len(pkts), []), desc)
        # softflowd keys a non-first IPv6 fragment with protocol 0, nftop
        # with the fragment header's next header (as both do for IPv4)
        frag6 = {}
        for k in list(sfd):
            if k[0] == 6 and k[5] == 0 and k[3] == k[4] == 0:
                for m in mine:
                    if m[:5] == k[:5] and m[5] != 0 and m not in sfd:
                        frag6[k] = m
        sfd_cmp = {frag6.get(k, k): v for k, v in sfd.items()}
        if linktype(os.path.realpath(base + ".pcap")) == 9:
            # softflowd takes no PPP link (nDPI is the oracle there)
            ck.eq(sorted(sfd_cmp, key=str), [], "%s: softflowd meters "
                  "no flow of a PPP (DLT 9) capture" % name)
            continue
        ck.eq(sorted(set(mine) ^ set(sfd_cmp), key=str), [],
              "%s: the same %d flow keys as softflowd (5-tuple, directional)"
              % (name, len(sfd)))
        bad_p, bad_b, padded = [], [], 0
        for k in sorted(set(mine) & set(sfd_cmp), key=str):
            (mp, mb), (sp, sb) = mine[k], sfd_cmp[k]
            if mp != sp:
                bad_p.append("%r nftop %d softflowd %d" % (k, mp, sp))
            tr = trailer.get(k, 0)
            padded += tr > 0
            if mb + tr != sb:
                bad_b.append("%r nftop %d + trailer %d, softflowd %d" %
                              (k, mb, tr, sb))
        ck.ok(not bad_p, "%s: packets equal softflowd's for every flow" %
              name, "; ".join(bad_p[:3]))
        ck.ok(not bad_b, "%s: bytes (IP lengths) + the Ethernet trailer of "
              "the same packets (tshark; %d flows have one) equal "
              "softflowd's, which counts frame length - link header" %
              (name, padded), "; ".join(bad_b[:3]))
        if frag6:
            ck.todo(False, "%s: softflowd's protocol for %d non-first IPv6 "
                    "fragment(s) equals nftop's" % (name, len(frag6)),
                    "softflowd writes protocol 0 for them; nftop the "
                    "fragment header's next header, as both do for IPv4",
                    "%r" % sorted(frag6.items())[:2])
    return 0


def parse_ndpi(path):
    """nDPI's expected flows: [(proto, (addr, port), (addr, port), c2s
    packets, c2s bytes, s2c packets, s2c bytes)]."""
    out = []
    rx = re.compile(r"^\d+ (\S+) (\S+) (<->|->) (\S+) \| (\d+) (\d+) \| "
                    r"(\d+) (\d+) \|")
    for line in open(path):
        m = rx.match(line)
        if not m:
            continue
        out.append((m.group(1), _ep(m.group(2)), _ep(m.group(4)),
                    int(m.group(5)), int(m.group(6)), int(m.group(7)),
                    int(m.group(8))))
    return out


def _ep(s):
    m = re.match(r"^\[(.*)\]:(\d+)$", s) or re.match(r"^(.*):(\d+)$", s)
    if m:
        return str(ipaddress.ip_address(m.group(1))), int(m.group(2))
    return str(ipaddress.ip_address(s)), 0


def bikey(proto, a, b, ports=True):
    """A direction-free key; ICMP and other portless protocols by address
    pair only (nDPI keeps one bidirectional ICMP flow; nftop keys ICMP
    echo and reply apart by type)."""
    if not ports:
        a, b = (a[0], 0), (b[0], 0)
    return (proto,) + tuple(sorted([a, b]))


def ndpi_checks(tmp, names):
    ck = Checks()
    for name in names:
        exp = parse_ndpi(os.path.join(tmp, name + ".expected"))
        ovh = {}
        for _, bi, _, link, _ in tshark_packets(os.path.join(
                tmp, name + ".tshark")):
            o = ovh.setdefault(bi, [0, 0])
            o[0] += 1
            o[1] += link
        mine = {}
        for r in metered(os.path.join(tmp, name + ".flows")):
            a = (r["srcip"], r["srcport"])
            b = (r["dstip"], r["dstport"])
            k = bikey(r["proto"], a, b, ports=r["proto"] in (6, 17))
            c = mine.setdefault(k, [0, 0])
            c[0] += r["packets"]
            c[1] += r["bytes"]
        want = {}
        for proto, a, b, cp, cb, sp, sb in exp:
            p = PROTO.get(proto.upper(), proto)
            k = bikey(p, a, b, ports=p in (6, 17))
            w = want.setdefault(k, [0, 0])
            w[0] += cp + sp
            w[1] += cb + sb
        bad, miss = [], []
        for k, (pk, by) in sorted(want.items(), key=str):
            g = mine.get(k)
            o = ovh.get(k, [0, 0])
            if g is None:
                miss.append(k)
                continue
            if g[0] != pk or g[1] + o[1] != by or o[0] != pk:
                bad.append("%s: nftop %d pkts %d IP bytes + %d link bytes "
                           "(tshark, %d pkts) vs nDPI %d pkts %d bytes" %
                           ("/".join(str(x) for x in k), g[0], g[1], o[1],
                            o[0], pk, by))
        extra = sorted(set(mine) - set(want), key=str)
        ck.ok(not miss, "%s: every nDPI flow (%d) is metered by nftop" %
              (name, len(want)), "missing %r" % miss[:3])
        ck.ok(not bad, "%s: both directions summed, packets equal nDPI's; "
              "bytes + link-layer bytes (tshark) equal nDPI's frame bytes" %
              name, "; ".join(bad[:3]))
        ck.ok(not extra, "%s: nftop meters no flow nDPI does not know" %
              name, "extra %r" % extra[:3])
    return 0


def linktype(path):
    """The link type of a classic pcap or of a pcapng's first interface."""
    import struct
    with open(path, "rb") as f:
        b = f.read(4096)
    if b[:4] == b"\x0a\x0d\x0d\x0a":
        e = "<" if b[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
        off = struct.unpack(e + "I", b[4:8])[0]
        return struct.unpack(e + "H", b[off + 8:off + 10])[0]
    e = "<" if b[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    return struct.unpack(e + "I", b[20:24])[0]


def ports(n):
    import socket
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    for s in socks:
        print(s.getsockname()[1])
    return 0


def main(argv):
    if len(argv) == 2 and argv[0] == "ports":
        return ports(int(argv[1]))
    if len(argv) >= 3 and argv[0] == "peer":
        return peer_checks(argv[1], argv[2:])
    if len(argv) >= 3 and argv[0] == "ndpi":
        return ndpi_checks(argv[1], argv[2:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
