#!/bin/bash
# v5-read.t - nftop --read: a pcap of NetFlow v5 export datagrams.
#
# flowblast -w writes a pcap (Ethernet/IPv4/UDP) of the very datagrams it
# would send, plus a truth CSV of every record.  The same seed and start
# time (-s, -S) give the same records live, so:
#  - `nftop --batch --read FILE --format json` prints one report and exits
#    0; its totals and top 10 by srcip equal the truth CSV aggregated here;
#  - a live run with the same seed (sent at 200k records/s) gives the same
#    totals and the same top 10 (keys, flows, packets, bytes; the rates
#    bps/pps differ because the time spans differ);
#  - `--flows --format json` prints exactly one line per record and the
#    records are the truth's, field for field (times included: v5 times are
#    sysUptime-relative and nftop makes them absolute, in ms);
#  - --format csv and text print what they promise (light checks);
#  - --read of a file that does not exist fails with a message, and so
#    does --read given twice;
#  - a capture with no packet is dated when it is read, not 1970.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need python3
need_tools "$FLOWBLAST"

N=100000
SEED=4242
START=1700000000
PCAP=$T_TMP/v5.pcap

"$FLOWBLAST" -f v5 -n "$N" -s "$SEED" -S "$START" -q -w "$PCAP" \
    -c "$T_TMP/truth.csv" >"$T_TMP/blast-pcap.txt" 2>&1
ok $? "flowblast wrote $N records to a pcap"

# read_run NAME ARGS...: nftop --batch --read PCAP ARGS, bounded.
read_run() {
	local name=$1
	shift
	timeout 60 "$NFTOP" --batch --read "$PCAP" "$@" >"$T_TMP/$name.out" \
	    2>"$T_TMP/$name.err"
}

read_run json --format json --aggregate srcip --top 10
is "$?" 0 "--read --format json exits 0"
is "$(grep -c . "$T_TMP/json.out")" 1 "--read prints exactly one report"

read_run flows --flows --format json
is "$?" 0 "--read --flows --format json exits 0"
is "$(grep -c . "$T_TMP/flows.out")" "$N" "--flows prints exactly $N lines"

read_run csv --format csv --aggregate srcip --top 10
is "$?" 0 "--read --format csv exits 0"
read_run text --format text --aggregate srcip --top 10
is "$?" 0 "--read --format text exits 0"

# The live path, same seed and start time.
nftop_start live --listen 127.0.0.1:0 --format json --interval 1 \
    --window all --aggregate srcip --top 10
ok $? "live nftop listens (port $NFTOP_PORT)"
LIVE_PID=$NFTOP_PID
"$FLOWBLAST" -f v5 -n "$N" -r 200k -s "$SEED" -S "$START" -T 60 -q \
    -d "127.0.0.1:$NFTOP_PORT" -c "$T_TMP/truth-live.csv" \
    >"$T_TMP/blast-live.txt" 2>&1
ok $? "flowblast sent the same $N records live"
wait_records live "$N" 20
ok $? "live nftop received all $N records"
proc_stop "$LIVE_PID" INT 10
is "$STOP_RC" 0 "live nftop exits 0 on SIGINT"

# A file that is not there.
NOFILE=$T_TMP/does-not-exist.pcap
timeout 10 "$NFTOP" --batch --read "$NOFILE" --format json \
    >"$T_TMP/nofile.out" 2>"$T_TMP/nofile.err"
rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]
ok $? "--read of a missing file exits non-zero (status $rc)"
grep -q "does-not-exist.pcap" "$T_TMP/nofile.err"
ok $? "... and says which file on stderr: $(head -n 1 "$T_TMP/nofile.err")"
is "$(wc -c <"$T_TMP/nofile.out")" 0 "... and prints no report"

# Two files: refused, naming both, rather than reading only the last.
timeout 10 "$NFTOP" --batch --read "$PCAP" --read "$PCAP.2" \
    >"$T_TMP/two.out" 2>"$T_TMP/two.err"
rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && grep -qF "$PCAP.2" "$T_TMP/two.err"
ok $? "--read twice exits non-zero ($rc): $(head -n 1 "$T_TMP/two.err")"
is "$(wc -c <"$T_TMP/two.out")" 0 "... and prints no report"

pychecks python3 - "$T_TMP" "$N" <<'PY'
import csv, sys
from collections import Counter
from nfutil import Checks, aggregate, cmp_top, json_lines, last_json, top_rows

tmp, n = sys.argv[1], int(sys.argv[2])
ck = Checks()
truth = list(csv.DictReader(open(tmp + "/truth.csv")))
tsum = [len(truth), sum(int(r["packets"]) for r in truth),
        sum(int(r["bytes"]) for r in truth)]
# Same records; only the times follow the rate (pcap: 10k records/s).
untimed = lambda rows: [tuple(v for k, v in r.items()
                              if k not in ("first_ms", "last_ms"))
                        for r in rows]
ck.ok(untimed(truth) == untimed(csv.DictReader(open(tmp +
                                                    "/truth-live.csv"))),
      "flowblast: the pcap and the live run carry the same records")

# --read, JSON report
r = last_json(tmp + "/json.out")
if r is None:
    ck.ok(False, "--read printed a JSON report")
    sys.exit(0)
ck.eq(r["window"], "all", "--read: window is all")
t = r["totals"]
ck.eq([t["flows"], t["packets"], t["bytes"]], tsum,
      "--read: totals equal the truth (records, packets, bytes)")
# The "pcap" source is nftop's own packet meter: every frame in this file
# is an export datagram, so it must have metered nothing.
src = [s for s in r["sources"] if s["protocol"] != "pcap"]
ck.eq([(s["protocol"], s["records"], s["lost"], s["malformed"])
       for s in src], [("netflow-v5", n, 0, 0)],
      "--read: one v5 source, all records, nothing lost or malformed")
ck.eq([r.get("meter", {}).get("packets", 0)] +
      [s["records"] for s in r["sources"] if s["protocol"] == "pcap"],
      [0] * (1 + sum(s["protocol"] == "pcap" for s in r["sources"])),
      "--read: no export datagram was taken for traffic (nothing metered)")
table = aggregate(truth, lambda x: (x["src"],))
cmp_top(ck, "--read srcip", top_rows(r, ["srcip"]), table, None, 10)

# the live run equals the read run, counters and keys
lv = last_json(tmp + "/live.out")
if lv is None:
    ck.ok(False, "live: nftop printed a JSON report")
else:
    ck.eq(lv["totals"], r["totals"], "live: totals equal the --read run's")
    ck.eq(top_rows(lv, ["srcip"]), top_rows(r, ["srcip"]),
          "live: top 10 (keys, flows, packets, bytes) equal the --read run's")
    ck.eq([(s["datagrams"], s["records"], s["lost"]) for s in lv["sources"]
           if s["protocol"] != "pcap"],
          [(s["datagrams"], s["records"], s["lost"]) for s in src],
          "live: source datagrams/records/lost equal the --read run's")

# --flows: every record, field for field
fl = json_lines(tmp + "/flows.out")
ck.eq(len(fl), n, "--flows: %d JSON records" % n)
ck.eq([sum(x["packets"] for x in fl), sum(x["bytes"] for x in fl)], tsum[1:],
      "--flows: packet and byte sums equal the truth")
want_keys = {"first", "last", "srcip", "dstip", "srcport", "dstport",
             "proto", "tos", "tcpflags", "inif", "outif", "srcas", "dstas",
             "packets", "bytes", "exporter"}
missing = want_keys - set(fl[0]) if fl else want_keys
ck.ok(not missing, "--flows: records have the members DESIGN.md lists",
      "missing %r" % sorted(missing))


def rec_nftop(x):
    return (x["srcip"], x["dstip"], x["srcport"], x["dstport"], x["proto"],
            x["tos"], x["tcpflags"], x["inif"], x["outif"], x["packets"],
            x["bytes"], x["first"], x["last"])


def rec_truth(x):
    return (x["src"], x["dst"], int(x["sport"]), int(x["dport"]),
            int(x["proto"]), int(x["tos"]), int(x["tcp_flags"]),
            int(x["in_if"]), int(x["out_if"]), int(x["packets"]),
            int(x["bytes"]), int(x["first_ms"]), int(x["last_ms"]))


if not missing:
    a, b = Counter(map(rec_nftop, fl)), Counter(map(rec_truth, truth))
    extra, lack = a - b, b - a
    ck.ok(not extra and not lack,
          "--flows: the records equal the truth's (addresses, ports, proto, "
          "tos, flags, interfaces, packets, bytes, first/last ms)",
          "%d not in truth, e.g. %r; %d missing, e.g. %r" % (
              sum(extra.values()), list(extra)[:1], sum(lack.values()),
              list(lack)[:1]))
    ck.eq({x["exporter"] for x in fl}, {"127.0.0.1"},
          "--flows: exporter is the pcap's source address")

# --format csv: a header, 10 ranks and a total row
lines = open(tmp + "/csv.out").read().splitlines()
rows = list(csv.reader(lines))
hdr = rows[0] if rows else []
ck.ok(all(c in hdr for c in ("srcip", "flows", "packets", "bytes")),
      "csv: header names srcip, flows, packets, bytes", hdr)
if all(c in hdr for c in ("srcip", "flows", "packets", "bytes")):
    body = [dict(zip(hdr, x)) for x in rows[1:]]
    ranked = [x for x in body if x.get("srcip")]
    ck.eq([(x["srcip"], int(x["flows"]), int(x["packets"]), int(x["bytes"]))
           for x in ranked],
          [(k[0], f, p, b) for k, f, p, b in top_rows(r, ["srcip"])],
          "csv: the ranked rows equal the JSON top 10")
    total = [x for x in body if not x.get("srcip")]
    ck.eq([[int(x["flows"]), int(x["packets"]), int(x["bytes"])]
           for x in total], [tsum], "csv: one total row, equal to the truth")

# --format text: the summary line and the top talker
text = open(tmp + "/text.out").read()
ck.ok(("flows %d" % tsum[0]) in text and ("packets %d" % tsum[1]) in text
      and ("bytes %d" % tsum[2]) in text,
      "text: the summary gives the flows, packets and bytes",
      text.splitlines()[-3:] if text else "empty")
top1 = top_rows(r, ["srcip"])[0][0][0] if r["top"] else "?"
ck.ok(top1 in text and "srcip" in text,
      "text: names the aggregate and the top talker %s" % top1)
PY

# A capture with no packet: exit 0, nothing counted, and the report is
# dated when it was made (the file has no time of its own), not 1970.
python3 -c 'import struct, sys
open(sys.argv[1], "wb").write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4,
    0, 0, 65535, 1))' "$T_TMP/empty.pcap"
before=$(date -u +%s)
timeout 30 "$NFTOP" --batch --read "$T_TMP/empty.pcap" --format json \
    >"$T_TMP/empty.out" 2>"$T_TMP/empty.err"
is "$?" 0 "empty pcap: exits 0"
is "$(json_get "$T_TMP/empty.out" '[r["totals"]["flows"], r["read"]["packets"],
    __import__("calendar").timegm(__import__("time").strptime(r["time"],
    "%Y-%m-%dT%H:%M:%SZ")) >= '"$before"' - 1]')" "[0, 0, True]" \
    "empty pcap: nothing counted, dated now (not 1970)"

end_testing
