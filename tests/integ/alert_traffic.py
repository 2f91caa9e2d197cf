#!/usr/bin/env python3
"""alert_traffic.py - NetFlow v5 export pcaps built to trigger (or not)
each of nftop's alert detectors, for alerts.t.

    alert_traffic.py SCENARIO OUT.pcap     writes the pcap and prints, as
                                           JSON, what the attack was: its
                                           kind, subject and flow count

Every scenario is 90 s of background traffic (web flows between clients
and servers, small DNS answers; nothing a detector should mind) with an
attack in seconds [20, 50).  Times are the export headers' (the pcap
frame time follows them, and nftop bins records by it).  Seeded: the
same scenario gives the same bytes.
"""
import json
import random
import sys

import nfutil

T0 = 1764000000
SECONDS = 90
ATTACK = range(20, 50)


def background(rnd, sec):
    recs = []
    for i in range(40):
        recs.append({"srcip": "10.0.%d.%d" % (rnd.randrange(4),
                                              rnd.randrange(1, 250)),
                     "dstip": "198.51.100.%d" % rnd.randrange(1, 20),
                     "srcport": rnd.randrange(32768, 60000),
                     "dstport": rnd.choice((80, 443)), "proto": 6,
                     "tcpflags": 0x1b, "packets": rnd.randrange(5, 40),
                     "bytes": rnd.randrange(2000, 60000)})
    for i in range(10):
        recs.append({"srcip": "198.51.100.53", "dstip":
                     "10.0.%d.%d" % (rnd.randrange(4), rnd.randrange(1, 250)),
                     "srcport": 53, "dstport": rnd.randrange(32768, 60000),
                     "proto": 17, "packets": 1,
                     "bytes": rnd.randrange(60, 200)})
    return recs


def syn(rnd, sec, n):
    # A: nothing before, 150 SYN-only flows/s in the attack.  B: a steady
    # 40/s all along (learned as its baseline), 150/s in the attack: under
    # factor 4 x 40, so no alert for B.
    recs = []
    rate_b = 150 if sec in ATTACK else 40
    for i in range(rate_b):
        recs.append(syn_rec(rnd, "192.0.2.11"))
    if sec in ATTACK:
        for i in range(150):
            recs.append(syn_rec(rnd, "192.0.2.10"))
            n[0] += 1
    return recs


def syn_rec(rnd, dst):
    return {"srcip": "100.%d.%d.%d" % (rnd.randrange(64, 127),
                                       rnd.randrange(256),
                                       rnd.randrange(1, 255)),
            "dstip": dst, "srcport": rnd.randrange(1024, 65535),
            "dstport": 80, "proto": 6, "tcpflags": 0x02, "packets": 1,
            "bytes": 60}


def rst(rnd, sec, n):
    recs = []
    if sec in ATTACK:
        for i in range(100):
            recs.append({"srcip": "100.64.%d.%d" % (rnd.randrange(256),
                                                    rnd.randrange(1, 255)),
                         "dstip": "192.0.2.20",
                         "srcport": rnd.randrange(1024, 65535),
                         "dstport": 443, "proto": 6, "tcpflags": 0x14,
                         "packets": 1, "bytes": 40})
            n[0] += 1
    return recs


def scan(rnd, sec, n):
    recs = []
    if sec in ATTACK:
        for i in range(40):
            port = (sec - ATTACK[0]) * 40 + i + 1
            recs.append({"srcip": "203.0.113.5", "dstip": "192.0.2.40",
                         "srcport": 40000, "dstport": port, "proto": 6,
                         "tcpflags": 0x02, "packets": 1, "bytes": 44})
            n[0] += 1
    return recs


def sweep(rnd, sec, n):
    recs = []
    if sec in ATTACK:
        for i in range(25):
            host = (sec - ATTACK[0]) * 25 + i
            recs.append({"srcip": "203.0.113.6",
                         "dstip": "172.16.%d.%d" % (host // 250,
                                                    host % 250 + 1),
                         "srcport": 40001, "dstport": 22, "proto": 6,
                         "tcpflags": 0x02, "packets": 1, "bytes": 44})
            n[0] += 1
    return recs


def reflection(rnd, sec, n):
    recs = []
    if sec in ATTACK:
        for i in range(100):
            recs.append({"srcip": "100.70.%d.%d" % (rnd.randrange(256),
                                                    rnd.randrange(1, 255)),
                         "dstip": "192.0.2.30", "srcport": 123,
                         "dstport": rnd.randrange(1024, 65535), "proto": 17,
                         "packets": 10, "bytes": 4680})
            n[0] += 1
    return recs


def slammer(rnd, sec, n):
    recs = []
    if sec in ATTACK:
        for i in range(20):
            recs.append({"srcip": "203.0.113.7",
                         "dstip": "%d.%d.%d.%d" % (rnd.randrange(1, 224),
                                                   rnd.randrange(256),
                                                   rnd.randrange(256),
                                                   rnd.randrange(1, 255)),
                         "srcport": rnd.randrange(1024, 65535),
                         "dstport": 1434, "proto": 17, "packets": 1,
                         "bytes": 404})
            n[0] += 1
    return recs


def quiet(rnd, sec, n):
    return []


def scans(rnd, sec, n):
    # Eight scanners at once, listed in no order: their alerts fire in
    # one bin, and must come out in the same order every run.
    recs = []
    for s in (5, 2, 7, 0, 3, 6, 1, 4):
        for r in scan(rnd, sec, n):
            r["srcip"] = "203.0.113.%d" % (20 + s)
            recs.append(r)
    return recs


CROWD = 20000


def crowd(rnd, sec, n):
    # One SYN each to CROWD distinct addresses in one second: more
    # targets than a detector's subject table holds in a bin.
    recs = []
    if sec == ATTACK[0]:
        for i in range(CROWD):
            recs.append({"srcip": "203.0.113.8",
                         "dstip": "10.%d.%d.%d" % (100 + i // 62500,
                                                   i // 250 % 250,
                                                   i % 250 + 1),
                         "srcport": 40002, "dstport": 80, "proto": 6,
                         "tcpflags": 0x02, "packets": 1, "bytes": 44})
            n[0] += 1
    return recs


def crowdsyn(rnd, sec, n):
    # The crowd fills the syn-flood detector's table in the attack's
    # first second; its first target, admitted before the table filled,
    # then takes 150 SYN-only flows/s: the full table still counts it.
    recs = crowd(rnd, sec, [0])
    if sec in ATTACK:
        for i in range(150):
            recs.append(syn_rec(rnd, "10.100.0.1"))
            n[0] += 1
    return recs


SCENARIOS = {
    "syn": (syn, "syn-flood", "192.0.2.10"),
    "rst": (rst, "rst-flood", "192.0.2.20"),
    "scan": (scan, "port-scan", "203.0.113.5"),
    "sweep": (sweep, "host-sweep", "203.0.113.6"),
    "reflection": (reflection, "reflection", "192.0.2.30"),
    "slammer": (slammer, "slammer", "203.0.113.7"),
    "quiet": (quiet, None, None),
    "scans": (scans, "port-scan", None),
    "crowd": (crowd, "host-sweep", "203.0.113.8"),
    "crowdsyn": (crowdsyn, "syn-flood", "10.100.0.1"),
}


def main(argv):
    name, out = argv[1], argv[2]
    fn, kind, subject = SCENARIOS[name]
    rnd = random.Random(7 + len(name))
    n = [0]
    payloads = []
    seq = 0
    uptime0 = 500000
    for sec in range(SECONDS):
        recs = background(rnd, sec) + fn(rnd, sec, n)
        # Spread each second's records over its datagrams (30 at most).
        chunks = [recs[i:i + 30] for i in range(0, len(recs), 30)]
        for j, chunk in enumerate(chunks):
            ms = sec * 1000 + j * 1000 // max(len(chunks), 1)
            up = uptime0 + ms
            for r in chunk:
                r["first_up"] = up - 500
                r["last_up"] = up - 100
            payloads.append(nfutil.nf5_datagram(
                len(chunk), chunk, seq=seq, uptime=up,
                secs=T0 + ms // 1000, nsecs=(ms % 1000) * 1000000))
            seq += len(chunk)
    nfutil.wrap_payloads(out, payloads)
    print(json.dumps({"kind": kind, "subject": subject, "flows": n[0],
                      "start": (T0 + ATTACK[0]) * 1000,
                      "end": (T0 + ATTACK[-1] + 1) * 1000}))


if __name__ == "__main__":
    main(sys.argv)
