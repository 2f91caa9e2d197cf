#!/bin/bash
# tests/bench/ingest.sh - zero-loss UDP ingest knee of nftop beside nfcapd,
# same machine, same run, same receive buffer, through the shared
# ../shared/tools/bench-ingest.sh (flowblast pinned to CPU 0, collector to
# CPU 1).  Not part of `make test`; `make bench` runs it.
#
# usage: tests/bench/ingest.sh [FORMAT] [RATES] [REPEATS]
#   FORMAT  v5 (default; v9 and ipfix once nftop decodes them)
#   RATES   default "1M 2M 3M 4M 0" records/s (0 = flat out)
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$(cd "$here/.." && pwd)/shared}
FMT=${1:-v5} RATES=${2:-"1M 2M 3M 4M 0"} REPS=${3:-5}
BUF=4194304	# nfcapd -B; the kernel doubles it: 8 MiB for both
out=$(mktemp -d /tmp/nftop-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT

export COLLECTOR_CMD="$here/nftop --batch --listen 127.0.0.1:{PORT} \
--rcvbuf $BUF --window all --format json --interval 3600 >{DIR}/out.json"
export COLLECTOR_COUNT="python3 -c 'import json,sys; \
print(json.loads(open(sys.argv[1]).read().splitlines()[-1])[\"stats\"][\"records\"])' \
{DIR}/out.json 2>/dev/null || echo 0"

port=$((30000 + $$ % 20000))
echo "# machine: $(nproc) CPUs, $(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
for coll in nfcapd cmd; do
	name=$coll; [ "$coll" = cmd ] && name=nftop
	echo "# $name, $FMT, -B $BUF, rates: $RATES, $REPS runs each"
	"$SHARED/tools/bench-ingest.sh" -c "$coll" -f "$FMT" -B "$BUF" \
	    -r "$RATES" -n "$REPS" -p "$port" -o "$out/$name.csv" |
	    sed -n '/^#\|median\|knee/p;/^[a-z]*,rate/p'
done
python3 - "$out/nfcapd.csv" "$out/nftop.csv" <<'PY'
import csv, statistics, sys
def load(p):
    rows = {}
    for r in csv.DictReader(open(p)):
        rows.setdefault(int(r["target_rate"]), []).append(r)
    return rows
a, b = load(sys.argv[1]), load(sys.argv[2])
print("%10s | %22s | %22s | %s" % ("rate", "nfcapd loss% ns/rec", "nftop loss% ns/rec", "ns/rec ratio"))
def med(rs, k):
    v = [float(r[k]) for r in rs if r[k] not in ("", "nan")]
    return statistics.median(v) if v else float("nan")
for rate in sorted(set(a) | set(b), key=lambda r: (r == 0, r)):
    ra, rb = a.get(rate, []), b.get(rate, [])
    la, na = med(ra, "loss_pct"), med(ra, "coll_cpu_ns_per_rec")
    lb, nb = med(rb, "loss_pct"), med(rb, "coll_cpu_ns_per_rec")
    sa, sb = med(ra, "stored_rate"), med(rb, "stored_rate")
    print("%10s | %8.3f %6.0f %6.2fM | %8.3f %6.0f %6.2fM | %.2f" % (
        rate or "flat-out", la, na, sa / 1e6, lb, nb, sb / 1e6,
        na / nb if nb else float("nan")))
PY
