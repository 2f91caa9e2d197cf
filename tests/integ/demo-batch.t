#!/bin/bash
# demo-batch.t - the built-in demo exporter, end to end over loopback:
#
#   nftop --demo --batch --listen 127.0.0.1:0 --interval 2 --count 2
#         --format json
#
# must print exactly two reports and exit 0 by itself, and each report must
# show the demo's routers as sources - netflow-v5, netflow-v9 and ipfix,
# and sflow-v5 whenever src/demo.c speaks sFlow (it is required as soon as
# "sflow" appears there) - each with records, and nothing lost, malformed
# or dropped.  The report's counters must add up: stats.datagrams and
# stats.records = the sums over the sources, totals.flows = the records
# (nothing ages out of the 60 s window in 4 s), and the second report has
# more of everything than the first.  With sFlow, the switch's sampling
# rate (64, DEMO_SFLOW_RATE) is in force and its counter samples show up
# as interfaces 1 and 2 of its agent.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"
. "$(dirname "$0")/lib-checks.sh"

need python3
DEMO_C=$(cd "$INTEG_DIR/../.." && pwd)/src/demo.c
WANT_SFLOW=0
if [ -r "$DEMO_C" ]; then
	grep -qi sflow "$DEMO_C" && WANT_SFLOW=1
else
	diag "$DEMO_C not found: sflow-v5 checked only if present"
	WANT_SFLOW=maybe
fi

timeout 30 "$NFTOP" --demo --batch --listen 127.0.0.1:0 --interval 2 \
    --count 2 --format json >"$T_TMP/demo.out" 2>"$T_TMP/demo.err"
is "$?" 0 "nftop --demo --batch --count 2 exits 0 by itself"
grep -q '^nftop: listening on udp 127\.0\.0\.1:[0-9]' "$T_TMP/demo.err"
ok $? "it listens on a loopback port"
grep -v '^nftop: listening on ' "$T_TMP/demo.err" >"$T_TMP/demo.err.other"
is "$(cat "$T_TMP/demo.err.other")" "" "nothing else on stderr"

tapchecks python3 - "$T_TMP/demo.out" "$WANT_SFLOW" <<'PY'
import sys
from nfutil import json_lines
from sflow_check import Checks

ck = Checks()
reps = json_lines(sys.argv[1])
want_sflow = sys.argv[2]
ck.eq(len(reps), 2, "two JSON reports")
if want_sflow == "maybe":
    want_sflow = any(s["protocol"] == "sflow-v5" for r in reps
                     for s in r["sources"])
else:
    want_sflow = want_sflow == "1"
protos = ["netflow-v5", "netflow-v9", "ipfix"] + \
    (["sflow-v5"] if want_sflow else [])
ck.diag("demo protocols required: %s" % ", ".join(protos))
prev = None
for n, r in enumerate(reps, 1):
    src = r["sources"]
    have = sorted(s["protocol"] for s in src)
    ck.eq(have, sorted(protos),
          "report %d: one source per demo router: %s" % (n, ", ".join(protos)))
    ck.ok(all(s["records"] > 0 and s["datagrams"] > 0 for s in src),
          "report %d: every source has datagrams and records" % n,
          [(s["protocol"], s["datagrams"], s["records"]) for s in src])
    ck.ok(all(s["exporter"].startswith("127.") for s in src),
          "report %d: every exporter is a loopback address" % n,
          [s["exporter"] for s in src])
    bad = [(s["protocol"], k, s[k]) for s in src for k in
           ("lost", "malformed", "dropped", "seq_resets", "samples_lost",
            "bad_samples", "no_header", "sample_drops") if s.get(k)]
    ck.eq(bad, [], "report %d: nothing lost, malformed, dropped or reset"
          % n)
    st = r["stats"]
    ck.eq((st["datagrams"], st["records"]),
          (sum(s["datagrams"] for s in src), sum(s["records"] for s in src)),
          "report %d: stats datagrams/records = the sums over the sources"
          % n)
    ck.eq((st["malformed"], st["unsupported"], st["kernel_drops"],
           st["decoded"]), (0, 0, 0, st["datagrams"]),
          "report %d: every datagram decoded, none dropped by the kernel" % n)
    ck.eq(r["totals"]["flows"], st["records"],
          "report %d: totals.flows = the records received (window 60 s)" % n)
    ck.ok(r["totals"]["packets"] > 0 and r["totals"]["bytes"] > 0 and
          r["top"], "report %d: totals and a top list" % n)
    if want_sflow:
        sf = [s for s in src if s["protocol"] == "sflow-v5"]
        ck.eq([(s["sampling"], s["flow_samples"] == s["records"],
                s["counter_samples"] > 0) for s in sf], [(64, True, True)],
              "report %d: sFlow at 1 in 64, a record per flow sample, "
              "counter samples too" % n)
        ifs = sorted((i["exporter"], i["ifindex"]) for i in
                     r.get("interfaces", []))
        ck.eq(ifs, [(sf[0]["exporter"], 1), (sf[0]["exporter"], 2)],
              "report %d: the switch's interfaces 1 and 2 from its counter "
              "samples" % n)
    if prev is not None:
        ck.ok(st["records"] > prev["stats"]["records"] and
              r["totals"]["bytes"] > prev["totals"]["bytes"],
              "report %d: more records and bytes than report %d" %
              (n, n - 1))
    prev = r
PY

end_testing
