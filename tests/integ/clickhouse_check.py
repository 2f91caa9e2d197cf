#!/usr/bin/env python3
"""clickhouse_check.py - checkers for tests/integ/clickhouse.t: views that
ClickHouse computed (nftop --from-clickhouse) against nftop's own of the
same input, and the flows ClickHouse holds against flowblast's truth.

  same LOCAL_JSON REMOTE_JSON LABEL     totals, top-10 and protocols equal
  truth CH_TSV CSV...                   count(), sum(bytes), sum(packets)
                                        of the table equal the truth CSVs
  aggs NFTOP PCAP URL KEYS...           per aggregate: nftop --read PCAP
                                        and --from-clickhouse URL agree
  filters NFTOP PCAP URL FILE           per filter: the same totals, or a
                                        clear refusal of what SQL cannot do

Output: PASS/FAIL/SKIP lines (nfutil.Checks) for lib-peers.sh's pychecks.
The --from-clickhouse runs go in parallel: each waits for its one report
(--interval 1), which is idle time, not work.
"""
import csv
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from nfutil import Checks

WORKERS = 8


def report(args):
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    lines = [l for l in p.stdout.splitlines() if l.strip()]
    return p.returncode, (json.loads(lines[-1]) if lines else None), \
        p.stderr.strip()


def local(nftop, pcap, extra):
    return report([nftop, "--batch", "--read", pcap, "--format", "json",
                   "--window", "all"] + extra)


def remote(nftop, url, extra):
    return report([nftop, "--from-clickhouse", url, "--batch", "--count",
                   "1", "--interval", "1", "--window", "all", "--format",
                   "json"] + extra)


def top_diff(a, b, n=10):
    """None if the top-n tables agree.  Rows tied at the last place may
    be any of the tied keys, so they are compared by count only."""
    ra = [(t["bytes"], json.dumps(t["key"], sort_keys=True), t["flows"],
           t["packets"]) for t in a[:n]]
    rb = [(t["bytes"], json.dumps(t["key"], sort_keys=True), t["flows"],
           t["packets"]) for t in b[:n]]
    if len(ra) != len(rb):
        return "%d rows against %d" % (len(ra), len(rb))
    if not ra:
        return None
    last = ra[-1][0]
    fa = sorted(r for r in ra if r[0] > last)
    fb = sorted(r for r in rb if r[0] > last)
    if fa != fb or rb[-1][0] != last:
        return "local %s | clickhouse %s" % (ra, rb)
    return None


def by_address(top):
    """nftop keeps one exporter per address, protocol and engine; the
    table keeps the address: local rows of one address are summed."""
    rows = {}
    for t in top:
        k = json.dumps(t["key"], sort_keys=True)
        r = rows.setdefault(k, {"key": t["key"], "flows": 0, "packets": 0,
                                "bytes": 0})
        for m in ("flows", "packets", "bytes"):
            r[m] += t[m]
    return sorted(rows.values(), key=lambda r: -r["bytes"])


def same(ck, a, b, label):
    ck.eq(b["totals"], a["totals"], "%s: totals equal" % label)
    d = top_diff(a["top"], b["top"])
    ck.ok(d is None, "%s: top %d equal (keys, flows, packets, bytes)"
          % (label, len(a["top"])), d or "")
    ck.eq(b["protocols"], a["protocols"], "%s: protocols equal" % label)


def cmd_same(ck, la, ra, label):
    with open(la) as f:
        a = json.loads([l for l in f if l.strip()][-1])
    with open(ra) as f:
        b = json.loads([l for l in f if l.strip()][-1])
    same(ck, a, b, label)


def cmd_truth(ck, tsv, *csvs):
    n = byt = pkt = 0
    for path in csvs:
        with open(path) as f:
            for row in csv.DictReader(f):
                n += 1
                byt += int(row["bytes"])
                pkt += int(row["packets"])
    got = [int(x) for x in open(tsv).read().split()]
    ck.eq(got, [n, byt, pkt], "ClickHouse holds every record sent:"
          " count(), sum(bytes), sum(packets) = flowblast's truth")


def cmd_aggs(ck, nftop, pcap, url, *keys):
    def one(k):
        extra = ["--aggregate", k, "--top", "10"]
        return k, local(nftop, pcap, extra), remote(nftop, url, extra)
    with ThreadPoolExecutor(WORKERS) as ex:
        for k, (rca, a, ea), (rcb, b, eb) in ex.map(one, keys):
            if rca != 0 or rcb != 0 or a is None or b is None:
                ck.ok(False, "aggregate %s: both run" % k, ea + eb)
                continue
            if k == "exporter":
                a["top"] = by_address(a["top"])
            same(ck, a, b, "aggregate %s" % k)


def cmd_filters(ck, nftop, pcap, url, path):
    with open(path) as f:
        filters = [l.rstrip("\n") for l in f if l.strip()]

    def one(flt):
        extra = ["--filter", flt]
        return flt, local(nftop, pcap, extra), remote(nftop, url, extra)
    agree = refused = 0
    with ThreadPoolExecutor(WORKERS) as ex:
        for flt, (rca, a, ea), (rcb, b, eb) in ex.map(one, filters):
            if rca != 0 or a is None:
                ck.ok(False, "local nftop runs '%s'" % flt, ea)
                continue
            if rcb != 0:
                refused += 1
                ck.ok("cannot be computed by ClickHouse" in eb,
                      "refused, and says why: %s (%s)" % (flt, eb), eb)
                continue
            agree += 1
            ck.eq(b["totals"], a["totals"], "same totals through SQL: %s"
                  % flt)
    ck.diag("%d filters computed by ClickHouse, %d refused" %
            (agree, refused))
    ck.ok(agree >= len(filters) // 2, "most filters can be computed by"
          " ClickHouse (%d of %d)" % (agree, len(filters)))


def main(argv):
    ck = Checks()
    cmds = {"same": cmd_same, "truth": cmd_truth, "aggs": cmd_aggs,
            "filters": cmd_filters}
    cmds[argv[1]](ck, *argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
