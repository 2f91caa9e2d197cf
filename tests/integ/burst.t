#!/bin/bash
# burst.t - burst mode (--burst): the top keys by their busiest second.
#
# flowblast writes 60 s of NetFlow v5 exports at a varying pace; the
# oracle parses the pcap itself (frame time = receive second, v5 records
# at 48 bytes each) and finds, per key, the second with the most bytes
# (or packets, or flows).  nftop's "burst" member must list the same
# keys with the same peak seconds and counts, in the same order, and the
# same totals; text and CSV carry it too.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need python3
need_tools "$FLOWBLAST"

PCAP=$T_TMP/b.pcap
"$FLOWBLAST" -f v5 -n 8000 -r 150 -s 11 -S 1764000000 -F 500 -H 40 \
    -w "$PCAP" -q >/dev/null
ok $? "flowblast wrote 8000 records"

for spec in "srcip bytes" "dstport packets" "srcip,dstport flows"; do
	set -- $spec
	timeout 60 "$NFTOP" --batch --read "$PCAP" --format json --burst \
	    --aggregate "$1" --order "$2" --top 12 >"$T_TMP/b-$1-$2.json"
	is "$?" 0 "--burst --aggregate $1 --order $2 exits 0"
done

pychecks python3 - "$PCAP" "$T_TMP" <<'PY'
import ipaddress, json, struct, sys
from collections import defaultdict
import nfutil
ck = nfutil.Checks()
data = open(sys.argv[1], "rb").read()
recs, off = [], 24
while off + 16 <= len(data):
    sec, usec, incl, _ = struct.unpack("<IIII", data[off:off + 16])
    pkt = data[off + 16:off + 16 + incl]
    off += 16 + incl
    p = pkt[14 + 20 + 8:]
    count = struct.unpack(">H", p[2:4])[0]
    for i in range(count):
        r = p[24 + 48 * i:24 + 48 * (i + 1)]
        recs.append({"sec": (sec * 1000 + usec // 1000) // 1000,
                     "srcip": str(ipaddress.IPv4Address(r[0:4])),
                     "dstport": struct.unpack(">H", r[34:36])[0],
                     "packets": struct.unpack(">I", r[16:20])[0],
                     "bytes": struct.unpack(">I", r[20:24])[0],
                     "flows": 1})
ck.eq(len(recs), 8000, "the oracle read 8000 records from the pcap")
for keys, order in (("srcip", "bytes"), ("dstport", "packets"),
                    ("srcip,dstport", "flows")):
    fields = keys.split(",")
    per = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    tot = defaultdict(lambda: [0, 0, 0])
    for r in recs:
        k = tuple(r[f] for f in fields)
        c = per[k][r["sec"]]
        for i, m in enumerate(("flows", "packets", "bytes")):
            c[i] += r[m]
            tot[k][i] += r[m]
    oi = ("flows", "packets", "bytes").index(order)
    best = {}
    for k, secs in per.items():
        s = max(sorted(secs), key=lambda t: secs[t][oi])
        best[k] = (secs[s][oi], s)
    rep = nfutil.last_json("%s/b-%s-%s.json" % (sys.argv[2], fields[0],
                                                 order)
                           if len(fields) == 1 else
                           "%s/b-%s-%s.json" % (sys.argv[2], keys, order))
    got = rep["burst"]["top"]
    ck.eq(len(got), 12, "%s/%s: 12 burst rows" % (keys, order))
    ok_rows = 0
    for row in got:
        k = tuple(row["key"][f] for f in fields)
        peak = row["peak"][order]
        ok_rows += (best[k][0] == peak and
                    tot[k] == [row["flows"], row["packets"], row["bytes"]])
    ck.eq(ok_rows, 12, "%s/%s: each row's peak second and totals equal the"
          " oracle's" % (keys, order))
    want = sorted((v[0] for v in best.values()), reverse=True)[:12]
    ck.eq([r["peak"][order] for r in got], want,
          "%s/%s: the 12 largest peaks, largest first" % (keys, order))
PY

timeout 60 "$NFTOP" --batch --read "$PCAP" --format csv --burst --top 5 \
    >"$T_TMP/b.csv"
is "$(grep -c ',peak[1-5],' "$T_TMP/b.csv")" 5 "CSV: rows peak1..peak5"
timeout 60 "$NFTOP" --batch --read "$PCAP" --format text --burst --top 5 \
    >"$T_TMP/b.txt"
grep -q 'by peak second' "$T_TMP/b.txt"
ok $? "text: a 'by peak second' table"

end_testing
