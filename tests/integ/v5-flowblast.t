#!/bin/bash
# v5-flowblast.t - a live nftop fed by flowblast, the synthetic NetFlow v5
# exporter of ../shared/tools, at a set rate over loopback.
#
# 1. 200,000 records at 100k records/s to 127.0.0.1: nftop must count
#    exactly 200,000 records and the packet and byte sums flowblast prints
#    (and its -c truth CSV holds), in as many datagrams as flowblast sent,
#    with nothing lost, malformed or dropped; its top 10 source addresses
#    equal the truth CSV aggregated by source address.
# 2. -E 3: flowblast rotates over three engine ids, so nftop shows three
#    v5 sources (one per engine id), each with its own sequence numbers and
#    nothing lost.
# 3. The same over IPv6 loopback: nftop --listen [::1]:0, flowblast -d
#    [::1]:PORT; the exporter is "::1".
# nftop reports every second (--interval 1 --window all); the test waits
# (bounded) until the records are in, then stops it with SIGINT and checks
# the final report.  Rates are modest (100k/s; peers.md: nfcapd is lossless
# far above that), so any loss is nftop's.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need python3
need_tools "$FLOWBLAST"

SEED=20261127
START=1700000000

# blast_run NAME LISTEN DEST_HOST N RATE EXTRA...: start nftop NAME on
# LISTEN, blast N records at it, wait for them, stop nftop.  Leaves
# flowblast's final line in $T_TMP/NAME.blast and its truth in NAME.csv.
blast_run() {
	local name=$1 listen=$2 host=$3 n=$4 rate=$5 pid
	shift 5
	nftop_start "$name" --listen "$listen" --format json --interval 1 \
	    --window all --aggregate srcip --top 10
	ok $? "$name: nftop listens on $listen (port $NFTOP_PORT)"
	pid=$NFTOP_PID
	"$FLOWBLAST" -f v5 -n "$n" -r "$rate" -s "$SEED" -S "$START" -T 60 -q \
	    -d "$host:$NFTOP_PORT" -c "$T_TMP/$name.csv" "$@" \
	    >"$T_TMP/$name.blast" 2>&1
	ok $? "$name: flowblast sent $n records at $rate/s"
	wait_records "$name" "$n" 20
	ok $? "$name: all $n records arrived"
	proc_stop "$pid" INT 10
	is "$STOP_RC" 0 "$name: nftop exits 0 on SIGINT"
}

blast_run one 127.0.0.1:0 127.0.0.1 200000 100k
blast_run engines 127.0.0.1:0 127.0.0.1 60000 100k -E 3
if ipv6_loopback; then
	blast_run ipv6 '[::1]:0' '[::1]' 60000 100k
else
	skip_test "ipv6: nftop over [::1]" "no IPv6 loopback here"
fi

pychecks python3 - "$T_TMP" <<'PY'
import csv, os, re, sys
from nfutil import Checks, aggregate, cmp_top, last_json, top_rows

tmp = sys.argv[1]
ck = Checks()


def blast(name):
    line = open("%s/%s.blast" % (tmp, name)).read()
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)\b", line)}


for name, n, engines, exporter in (("one", 200000, 1, "127.0.0.1"),
                                   ("engines", 60000, 3, "127.0.0.1"),
                                   ("ipv6", 60000, 1, "::1")):
    if not os.path.exists("%s/%s.out" % (tmp, name)):
        continue
    b = blast(name)
    truth = list(csv.DictReader(open("%s/%s.csv" % (tmp, name))))
    tsum = [len(truth), sum(int(r["packets"]) for r in truth),
            sum(int(r["bytes"]) for r in truth)]
    ck.eq([b.get("records"), b.get("packets"), b.get("bytes")], tsum,
          "%s: flowblast's line agrees with its truth CSV" % name)
    r = last_json("%s/%s.out" % (tmp, name))
    if r is None:
        ck.ok(False, "%s: nftop printed a JSON report" % name)
        continue
    t = r["totals"]
    ck.eq([t["flows"], t["packets"], t["bytes"]], tsum,
          "%s: totals are exactly %d records and flowblast's packet and "
          "byte sums" % (name, n))
    src = r["sources"]
    ck.eq(len(src), engines, "%s: %d source(s)" % (name, engines))
    ck.eq(sorted({(s["exporter"], s["protocol"]) for s in src}),
          [(exporter, "netflow-v5")],
          "%s: sources are %s netflow-v5" % (name, exporter))
    ck.eq(len({s.get("domain") for s in src}), engines,
          "%s: one source per engine id" % name)
    ck.eq([sum(s["datagrams"] for s in src), sum(s["records"] for s in src)],
          [b.get("datagrams"), n],
          "%s: sources' datagrams and records add up to what was sent"
          % name)
    ck.eq([(s["lost"], s["malformed"], s["dropped"], s["sampling"])
           for s in src], [(0, 0, 0, 1)] * engines,
          "%s: lost 0, malformed 0, dropped 0, sampling 1 on every source"
          % name)
    if engines > 1:
        ck.ok(all(s["records"] > 0 for s in src),
              "%s: every engine sent records" % name,
              [s["records"] for s in src])
    st = r.get("stats", {})
    ck.eq([st.get("malformed"), st.get("unsupported"),
           st.get("kernel_drops")], [0, 0, 0],
          "%s: no malformed, unsupported or kernel-dropped datagrams" % name)
    table = aggregate(truth, lambda x: (x["src"],))
    cmp_top(ck, name + " srcip", top_rows(r, ["srcip"]), table, None, 10)
PY

end_testing
