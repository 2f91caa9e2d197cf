#!/usr/bin/env python3
"""analysis_pcap.py OUT - the deterministic input of tests/tui/analysis.t.

Two minutes of NetFlow v5 export datagrams (file time 1700000000 to
1700000119, one second apart), wrapped in a pcap by nfutil.wrap_payloads:

  - steady talkers 10.0.0.1 .. 10.0.0.5, TCP to 192.0.2.1:443, k * 10 kB
    every second: by total, 10.0.0.5 is first;
  - UDP (10.0.0.7 to 192.0.2.53:53) and ICMP (10.0.0.8) every second, so
    the default profile's channels are all non-empty;
  - a burst: 10.0.0.66 sends 400 kB in one second (t0 + 90) and nothing
    else: by its peak second it is first, by total it is last;
  - a port scan: 10.6.6.6 sends SYN-only flows to 192.0.2.99 on ports
    1 .. 600 within two seconds (t0 + 100, t0 + 101): still active when the file ends.

Everything is a pure function of the constants below: the same file on
every run.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integ"))
import nfutil  # noqa: E402

T0 = 1700000000
SECONDS = 120
BURST_AT = 90
SCAN_AT = 100
SCAN_PORTS = 600
PER_DATAGRAM = 30


def rec(src, dst, sport, dport, proto, packets, nbytes, flags=0):
    return {"srcip": src, "dstip": dst, "srcport": sport, "dstport": dport,
            "proto": proto, "packets": packets, "bytes": nbytes,
            "tcpflags": flags, "first_up": 99000, "last_up": 99500}


def second(s):
    out = []
    for k in range(1, 6):
        out.append(rec("10.0.0.%d" % k, "192.0.2.1", 40000 + k, 443, 6,
                       10 * k, 10000 * k, 0x1b))
    out.append(rec("10.0.0.7", "192.0.2.53", 5353, 53, 17, 2, 300))
    out.append(rec("10.0.0.8", "192.0.2.1", 0, 2048, 1, 1, 84))
    if s == BURST_AT:
        out.append(rec("10.0.0.66", "192.0.2.1", 40066, 443, 6, 300,
                       400000, 0x1b))
    if s in (SCAN_AT, SCAN_AT + 1):
        half = SCAN_PORTS // 2
        base = 1 if s == SCAN_AT else half + 1
        for p in range(base, base + half):
            out.append(rec("10.6.6.6", "192.0.2.99", 50000, p, 6, 1, 44,
                           0x02))
    return out


def main(argv):
    payloads, seq = [], 0
    for s in range(SECONDS):
        recs = second(s)
        for i in range(0, len(recs), PER_DATAGRAM):
            chunk = recs[i:i + PER_DATAGRAM]
            # Datagrams of one second are 1 ms apart, in order.
            payloads.append(nfutil.nf5_datagram(
                len(chunk), chunk, seq=seq, uptime=100000,
                secs=T0 + s, nsecs=(i // PER_DATAGRAM) * 1000000))
            seq += len(chunk)
    nfutil.wrap_payloads(argv[1], payloads)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
