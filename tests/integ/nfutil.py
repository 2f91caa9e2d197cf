#!/usr/bin/env python3
"""nfutil.py - helpers for nftop's integration tests (Python 3, stdlib only).

Imported by the Python snippets inside tests/integ/*.t (lib-peers.sh puts
this directory on PYTHONPATH), and usable from the shell:

    nfutil.py records FILE        sum of sources[].records in the last
                                  complete JSON report of FILE (0 if none)
    nfutil.py test FILE EXPR      exit 0 if the Python expression EXPR is
                                  true for the last report (bound to r)
    nfutil.py wrap OUT FILE...    wrap raw export payloads (one datagram per
                                  file) into a classic pcap, Ethernet/IPv4/
                                  UDP 127.0.0.1:40000 -> 127.0.0.1:2055
    nfutil.py tee PORTFILE PCAP IDLE LIMIT PORT...
                                  UDP tee: receive on 127.0.0.1:0 (port
                                  written to PORTFILE), send every datagram
                                  to each 127.0.0.1:PORT in arrival order and
                                  write them all to PCAP; stops on SIGTERM/
                                  SIGINT, IDLE s after the last datagram, or
                                  LIMIT s after start; prints
                                  "datagrams=N bytes=N" at exit

Checks are printed one per line for lib-peers.sh's `pychecks`:
    PASS<TAB>description
    FAIL<TAB>description<TAB>detail
    SKIP<TAB>description<TAB>reason
and lines starting with '#' are diagnostics.
"""
import datetime
import ipaddress
import json
import os
import select
import signal
import socket
import struct
import sys
import time


# ---------------------------------------------------------------- checks

class Checks:
    """Collects TAP results as PASS/FAIL/SKIP lines on stdout."""

    def __init__(self):
        self.failed = 0

    @staticmethod
    def _clean(s, limit=400):
        s = str(s).replace("\t", " ").replace("\n", " | ")
        return s if len(s) <= limit else s[:limit] + "..."

    def ok(self, cond, desc, detail=""):
        if cond:
            print("PASS\t%s" % self._clean(desc))
        else:
            self.failed += 1
            print("FAIL\t%s\t%s" % (self._clean(desc), self._clean(detail)))
        sys.stdout.flush()
        return bool(cond)

    def eq(self, got, exp, desc):
        return self.ok(got == exp, desc,
                       "got %r, expected %r" % (got, exp))

    def skip(self, desc, reason):
        print("SKIP\t%s\t%s" % (self._clean(desc), self._clean(reason)))

    @staticmethod
    def diag(msg):
        for line in str(msg).splitlines():
            print("# " + line)


# ---------------------------------------------------------------- nftop JSON

def json_lines(path):
    """Every line of path that parses as a JSON object (a report being
    written while we read is simply skipped)."""
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def last_json(path):
    lines = json_lines(path)
    return lines[-1] if lines else None


def source_records(report):
    return sum(s.get("records", 0) for s in report.get("sources", []))


def top_rows(report, fields):
    """nftop's top list as [(key tuple, flows, packets, bytes)], in order."""
    rows = []
    for t in report.get("top", []):
        key = tuple(str(t["key"][f]) for f in fields)
        rows.append((key, t["flows"], t["packets"], t["bytes"]))
    return rows


# ---------------------------------------------------------------- aggregation

def aggregate(records, keyfn):
    """records: iterable of dicts with packets/bytes; returns
    {key: [flows, packets, bytes]}."""
    out = {}
    for r in records:
        k = keyfn(r)
        c = out.setdefault(k, [0, 0, 0])
        c[0] += 1
        c[1] += int(r["packets"])
        c[2] += int(r["bytes"])
    return out


ORDER_COL = {"flows": 0, "packets": 1, "bytes": 2}


def top_keys(table, n, order="bytes"):
    """The n keys with most bytes (or order: packets, flows; ties broken by
    key: any order is valid for the oracle, cmp_top never relies on it)."""
    c = ORDER_COL[order]
    return [k for k, _ in sorted(table.items(),
                                 key=lambda kv: (-kv[1][c], kv[0]))[:n]]


def cmp_top(ck, label, rows, table, oracle_top=None, n=10, order="bytes"):
    """Compare nftop's top-n rows (ordered by bytes, or by order: packets,
    flows) with an oracle.

    rows:       nftop's [(key, flows, packets, bytes)] in its order
    table:      the oracle's full aggregate {key: [flows, packets, bytes]}
    oracle_top: the oracle's own top-n key list (e.g. nfdump -s ... -n 10),
                optional

    Ties at the n-th place cannot cause a false failure (any of the tied
    keys may fill the last places), but a wrong counter, a missing key that
    beats the n-th place, or a wrong order cannot pass."""
    c = ORDER_COL[order]
    want_len = min(n, len(table))
    ck.eq(len(rows), want_len, "%s: top has %d rows" % (label, want_len))
    vals = [r[1 + c] for r in rows]
    ck.ok(all(vals[i] >= vals[i + 1] for i in range(len(vals) - 1)),
          "%s: top is ordered by %s" % (label, order),
          "%s %r" % (order, vals))
    bad = []
    for key, fl, pk, by in rows:
        o = table.get(key)
        if o is None or list(o) != [fl, pk, by]:
            bad.append("%s: nftop %r oracle %r" % ("/".join(key),
                                                  [fl, pk, by], o))
    ck.ok(not bad, "%s: every top row's flows/packets/bytes equal the "
          "oracle's for that key" % label, "; ".join(bad[:5]))
    want = sorted((v[c] for v in table.values()), reverse=True)[:n]
    ck.eq(sorted(vals, reverse=True), want,
          "%s: top %s counts are the oracle's %d largest" % (
              label, order.rstrip("s"), n))
    if want:
        nth = want[-1]
        must = {k for k, v in table.items() if v[c] > nth}
        have = {r[0] for r in rows}
        ck.ok(must <= have, "%s: every key above the %d-th place (%d %s)"
              " is in the top" % (label, len(want), nth, order),
              "missing %r" % sorted(must - have)[:5])
        if oracle_top is not None:
            # The oracle's own list must agree with its own table (parsing
            # check), and with nftop except for keys tied at the n-th place.
            ob = sorted((table[k][c] for k in oracle_top if k in table),
                        reverse=True)
            diff = {k for k in set(oracle_top) ^ have
                    if table.get(k, [-1, -1, -1])[c] != nth}
            ck.ok(ob == want and not diff,
                  "%s: same top keys as the oracle's own top-%d list "
                  "(ties at the %d-th place aside)" % (label, n, n),
                  "oracle %s %r, keys differing %r" % (order, ob,
                                                       sorted(diff)[:5]))


# ---------------------------------------------------------------- nfdump

def nfdump_stat_csv(path):
    """Parse `nfdump -q -o csv -s KEY/bytes -n N` output (header
    ts,te,td,pr,val,fl,flP,pkt,pktP,byt,...) into ([keys in order],
    {key: [flows, packets, bytes]})."""
    order, table, hdr = [], {}, None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            cols = line.split(",")
            if hdr is None:
                if cols[0] == "ts":
                    hdr = {c: i for i, c in enumerate(cols)}
                continue
            if len(cols) < len(hdr):
                continue
            key = (str(ipaddress.ip_address(cols[hdr["val"]].strip())),)
            order.append(key)
            table[key] = [int(cols[hdr["fl"]]), int(cols[hdr["pkt"]]),
                          int(cols[hdr["byt"]])]
    return order, table


def nfdump_fmt_pairs(path):
    """Parse `nfdump -q -N -A srcip,dstip -o 'fmt:%sa|%da|%fl|%pkt|%byt'`."""
    order, table = [], {}
    with open(path) as f:
        for line in f:
            cols = [c.strip() for c in line.split("|")]
            if len(cols) != 5 or not cols[2].isdigit():
                continue
            key = (str(ipaddress.ip_address(cols[0])),
                   str(ipaddress.ip_address(cols[1])))
            order.append(key)
            table[key] = [int(cols[2]), int(cols[3]), int(cols[4])]
    return order, table


def nfdump_json(path):
    """Parse `nfdump -q -o json` (objects separated by commas, no brackets
    with -q).  Returns a list of dicts with normalized members: srcip,
    dstip, srcport, dstport, proto, tos, tcpflags, inif, outif, srcas,
    dstas, srcmask, dstmask, nexthop, icmp_type, icmp_code (0 where nfdump
    prints none), packets, bytes, first, last (ms since the epoch; run
    nfdump with TZ=UTC), exporter."""
    text = open(path).read().strip()
    if not text:
        return []
    if not text.startswith("["):
        text = "[" + text.rstrip(",") + "]"
    out = []
    for o in json.loads(text):
        if o.get("type") != "FLOW":
            continue
        out.append({
            "srcip": o.get("src4_addr", o.get("src6_addr")),
            "dstip": o.get("dst4_addr", o.get("dst6_addr")),
            "srcport": o.get("src_port", 0), "dstport": o.get("dst_port", 0),
            "proto": o.get("proto", 0), "tos": o.get("src_tos", 0),
            "tcpflags": tcpflags_from_str(o.get("tcp_flags", "........")),
            "inif": o.get("input_snmp", 0), "outif": o.get("output_snmp", 0),
            "srcas": o.get("src_as", 0), "dstas": o.get("dst_as", 0),
            "srcmask": o.get("src_mask", 0), "dstmask": o.get("dst_mask", 0),
            "nexthop": o.get("ip4_next_hop", "0.0.0.0"),
            "icmp_type": o.get("icmp_type", 0),
            "icmp_code": o.get("icmp_code", 0),
            "packets": o.get("in_packets", 0), "bytes": o.get("in_bytes", 0),
            "first": iso_ms(o["first"]), "last": iso_ms(o["last"]),
            "exporter": o.get("ip4_router", o.get("ip6_router")),
        })
    return out


def tcpflags_from_str(s):
    """nfdump's "CEUAPRSF" flag string ('.' for unset) to the flag byte."""
    s = s.strip()
    if s.startswith("0x"):
        return int(s, 16)
    bits = 0
    for i, ch in enumerate(reversed(s[-8:])):
        if ch != ".":
            bits |= 1 << i
    return bits


def iso_ms(s):
    """'2015-05-02T18:38:07.476' (UTC) or with a space -> ms since epoch."""
    s = s.replace(" ", "T").rstrip("Z")
    if "." in s:
        base, frac = s.split(".", 1)
    else:
        base, frac = s, "0"
    dt = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc)
    return int(dt.timestamp()) * 1000 + int((frac + "000")[:3])


# ---------------------------------------------------------------- tshark

def tshark_fields(path, names):
    """Parse `tshark -T fields -e NAME...` output (tab separated, each
    field's occurrences joined by ','): one dict per frame, {name: [values
    as strings]} (empty list where the field is absent)."""
    out = []
    with open(path) as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            cols += [""] * (len(names) - len(cols))
            out.append({n: [v for v in c.split(",") if v]
                        for n, c in zip(names, cols)})
    return out


# ---------------------------------------------------------------- pcap

def _ip_checksum(hdr):
    s = 0
    for i in range(0, len(hdr), 2):
        s += hdr[i] << 8 | hdr[i + 1]
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def udp_frame(payload, src="127.0.0.1", dst="127.0.0.1", sport=40000,
              dport=2055, ident=0):
    """One Ethernet/IPv4/UDP frame carrying payload (UDP checksum 0)."""
    eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + \
        b"\x08\x00"
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0)
    ip = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0,
                               20 + len(udp) + len(payload), ident & 0xffff,
                               0x4000, 64, 17, 0,
                               ipaddress.IPv4Address(src).packed,
                               ipaddress.IPv4Address(dst).packed))
    ip[10:12] = struct.pack(">H", _ip_checksum(bytes(ip)))
    return eth + bytes(ip) + udp + payload


def pcap_write(path, frames):
    """frames: [(unix time float, frame bytes)] -> classic pcap, DLT EN10MB."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for ts, fr in frames:
            sec = int(ts)
            usec = int(round((ts - sec) * 1e6))
            f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)))
            f.write(fr)


def wrap_payloads(path, payloads, src="127.0.0.1", sport=40000, dport=2055,
                  ts=None):
    """Write raw export payloads (bytes) as one pcap, one frame each.  The
    frame time is the export header's time when it has one (NetFlow v5/v9,
    IPFIX), else ts or a fixed time."""
    frames = []
    for i, p in enumerate(payloads):
        t = ts
        if t is None:
            t = 1700000000.0
            if len(p) >= 16 and p[0:2] in (b"\x00\x01", b"\x00\x05",
                                           b"\x00\x07"):
                t = struct.unpack(">I", p[8:12])[0] + \
                    struct.unpack(">I", p[12:16])[0] / 1e9
            elif len(p) >= 8 and p[0:2] == b"\x00\x09":
                t = float(struct.unpack(">I", p[8:12])[0])
            elif len(p) >= 8 and p[0:2] == b"\x00\x0a":
                t = float(struct.unpack(">I", p[4:8])[0])
        frames.append((t + i * 1e-6, udp_frame(p, src=src, sport=sport,
                                               dport=dport, ident=i)))
    pcap_write(path, frames)


def pcap_udp_payloads(path):
    """UDP payloads of a classic pcap (Ethernet or Linux SLL, IPv4/IPv6,
    no fragments): [(src address, src port, dst port, payload)]."""
    data = open(path, "rb").read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise ValueError("%s: not a classic pcap" % path)
    linktype = struct.unpack(e + "I", data[20:24])[0]
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        fr = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1:
            l2, etype = 14, struct.unpack(">H", fr[12:14])[0]
            while etype == 0x8100:
                etype = struct.unpack(">H", fr[l2 + 2:l2 + 4])[0]
                l2 += 4
        elif linktype == 113:
            l2, etype = 16, struct.unpack(">H", fr[14:16])[0]
        else:
            continue
        ip = fr[l2:]
        if etype == 0x0800 and len(ip) >= 20 and ip[9] == 17:
            src = str(ipaddress.IPv4Address(ip[12:16]))
            udp = ip[(ip[0] & 15) * 4:]
        elif etype == 0x86dd and len(ip) >= 40 and ip[6] == 17:
            src = str(ipaddress.IPv6Address(ip[8:24]))
            udp = ip[40:]
        else:
            continue
        sport, dport, ulen = struct.unpack(">HHH", udp[:6])
        out.append((src, sport, dport, udp[8:ulen]))
    return out


# ---------------------------------------------------------------- UDP tee

def tee(portfile, pcap, targets, idle=3.0, limit=60.0):
    """Receive datagrams on 127.0.0.1:0 (the port goes to portfile, written
    atomically), send each one to every 127.0.0.1 target port in arrival
    order, and write them all to pcap as the tee received them (source
    address and port of the sender, destination the tee's port, arrival
    time).  Every receiver thus sees the same datagrams in the same order.
    Bounded: stops on SIGTERM/SIGINT, `idle` seconds after the last
    datagram (once one came), or `limit` seconds after start.  Prints
    "datagrams=N bytes=N" at exit."""
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    rx.bind(("127.0.0.1", 0))
    port = rx.getsockname()[1]
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.bind(("127.0.0.1", 0))
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(portfile + ".tmp", portfile)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))
    frames, nbytes, last = [], 0, None
    end = time.time() + limit
    while not stop and time.time() < end:
        try:
            r, _, _ = select.select([rx], [], [], 0.1)
        except InterruptedError:
            continue
        if not r:
            if idle and last and time.time() - last > idle:
                break
            continue
        d, (src, sport) = rx.recvfrom(65535)
        last = time.time()
        nbytes += len(d)
        frames.append((last, udp_frame(d, src=src, sport=sport, dport=port,
                                       ident=len(frames))))
        for t in targets:
            tx.sendto(d, ("127.0.0.1", t))
        time.sleep(0.0002)	# let the receivers keep up
    pcap_write(pcap, frames)
    print("datagrams=%d bytes=%d" % (len(frames), nbytes))
    sys.stdout.flush()
    return 0


# ---------------------------------------------------------------- NetFlow v5

def nf5_header(buf):
    """The NetFlow v5 header as a dict (no checks)."""
    (ver, count, uptime, secs, nsecs, seq, etype, eid,
     samp) = struct.unpack(">HHIIIIBBH", buf[:24])
    return {"version": ver, "count": count, "uptime": uptime, "secs": secs,
            "nsecs": nsecs, "sequence": seq, "engine_type": etype,
            "engine_id": eid, "sampling": samp,
            "boot_ms": secs * 1000 + nsecs // 1000000 - uptime}


def nf5_datagram(count, records=None, seq=0, uptime=100000,
                 secs=1700000000, nsecs=0, engine_type=0, engine_id=0,
                 sampling=0, version=5):
    """Build a NetFlow v5 datagram.  count goes into the header as given;
    records is a list of dicts (srcip, dstip, packets, bytes, ... ) or None
    for `count` default records."""
    if records is None:
        records = [nf5_default_record(i) for i in range(count)]
    out = struct.pack(">HHIIIIBBH", version, count, uptime, secs, nsecs,
                      seq, engine_type, engine_id, sampling)
    for r in records:
        out += struct.pack(
            ">4s4s4sHHIIIIHHBBBBHHBBH",
            ipaddress.IPv4Address(r["srcip"]).packed,
            ipaddress.IPv4Address(r["dstip"]).packed,
            ipaddress.IPv4Address(r.get("nexthop", "0.0.0.0")).packed,
            r.get("inif", 0), r.get("outif", 0), r["packets"], r["bytes"],
            r.get("first_up", uptime - 2000), r.get("last_up", uptime - 1000),
            r.get("srcport", 0), r.get("dstport", 0), 0,
            r.get("tcpflags", 0), r.get("proto", 6), r.get("tos", 0),
            r.get("srcas", 0), r.get("dstas", 0), r.get("srcmask", 0),
            r.get("dstmask", 0), 0)
    return out


def nf5_default_record(i):
    return {"srcip": "10.1.%d.%d" % (i // 250, i % 250 + 1),
            "dstip": "192.0.2.%d" % (i % 250 + 1), "srcport": 1024 + i,
            "dstport": 80, "proto": 6, "packets": i + 1,
            "bytes": 100 * (i + 1)}


# ---------------------------------------------------------------- main

def main(argv):
    if len(argv) >= 2 and argv[0] == "records":
        try:
            r = last_json(argv[1])
        except OSError:
            r = None
        print(source_records(r) if r else 0)
        return 0
    if len(argv) == 3 and argv[0] == "test":
        try:
            r = last_json(argv[1])
        except OSError:
            r = None
        return 0 if r is not None and eval(argv[2], {"r": r}) else 1
    if len(argv) >= 6 and argv[0] == "tee":
        return tee(argv[1], argv[2], [int(p) for p in argv[5:]],
                   idle=float(argv[3]), limit=float(argv[4]))
    if len(argv) >= 3 and argv[0] == "wrap":
        wrap_payloads(argv[1], [open(p, "rb").read() for p in argv[2:]])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
