#!/bin/bash
# tests/bench/ingest.sh - zero-loss UDP ingest knee of nftop beside nfcapd,
# same machine, same run, same receive buffer, through the shared
# ../shared/tools/bench-ingest.sh (flowblast pinned to CPU 0, collector to
# CPU 1).  nftop runs twice: --batch, and with its screen drawing in a
# private tmux (tests/bench/tui-collector.sh).  Its loss comes from its
# own count of records; bench-ingest.sh also reads the kernel's drops.
# Not part of `make test`; `make bench` runs it.
#
# usage: tests/bench/ingest.sh [FORMAT] [RATES] [REPEATS]
#   FORMAT  v5 (default), v9 or ipfix
#   RATES   default "1M 2M 3M 4M 6M 0" records/s (0 = flat out)
#   REPEATS default $BENCH_RUNS (5)
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/tests/bench/lib.sh"
SHARED=${SHARED:-$(cd "$here/.." && pwd)/shared}
FMT=${1:-v5} RATES=${2:-"1M 2M 3M 4M 6M 0"} REPS=${3:-$BENCH_RUNS}
BUF=4194304	# nfcapd -B; the kernel doubles it: 8 MiB for both
out=$(mktemp -d /tmp/nftop-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
export NFTOP=${NFTOP:-$here/nftop} BUF

echo "# machine: $(bench_machine)"

# knee CSV: the highest step whose median loss is below 0.1 %, at the
# lesser of its target and its median send rate (sent / send_s)
knee() {
	python3 - "$1" <<'PY'
import csv, statistics, sys
steps = {}
try:
    for r in csv.DictReader(open(sys.argv[1])):
        steps.setdefault(int(r["target_rate"]), []).append(r)
except (OSError, ValueError):
    pass
knee = 0
for target, rs in steps.items():
    loss = statistics.median(float(r["loss_pct"]) for r in rs)
    sent = statistics.median(float(r["sent"]) / max(float(r["send_s"]), 1e-9)
                             for r in rs)
    rate = min(target, sent) if target > 0 else sent
    if loss < 0.1 and rate > knee:
        knee = rate
print("%.0f" % knee)
PY
}

# reach CSV...: the best median send rate of any step
reach() {
	python3 - "$@" <<'PY'
import csv, statistics, sys
best = 0
for p in sys.argv[1:]:
    steps = {}
    try:
        for r in csv.DictReader(open(p)):
            steps.setdefault(int(r["target_rate"]), []).append(r)
    except (OSError, ValueError):
        continue
    for rs in steps.values():
        best = max(best, statistics.median(
            float(r["sent"]) / max(float(r["send_s"]), 1e-9) for r in rs))
print("%.0f" % best)
PY
}
for who in nfcapd batch tui; do
	coll=cmd
	case $who in
	nfcapd)
		coll=nfcapd ;;
	batch)
		export COLLECTOR_CMD="$NFTOP --batch --listen 127.0.0.1:{PORT} \
--rcvbuf $BUF --window all --format json --interval 3600 >{DIR}/out.json"
		export COLLECTOR_COUNT="python3 -c 'import json,sys; \
print(json.loads(open(sys.argv[1]).read().splitlines()[-1])[\"stats\"][\"records\"])' \
{DIR}/out.json 2>/dev/null || echo 0" ;;
	tui)
		export COLLECTOR_CMD="$here/tests/bench/tui-collector.sh {PORT} {DIR}"
		export COLLECTOR_COUNT="sed -n 's/^records=\([0-9]*\).*/\1/p' \
{DIR}/frames | tail -1 | grep . || echo 0" ;;
	esac
	port=$((30000 + ($$ + RANDOM) % 20000))
	echo "# $who, $FMT, -B $BUF, rates: $RATES, $REPS runs each"
	"$SHARED/tools/bench-ingest.sh" -c "$coll" -f "$FMT" -B "$BUF" \
	    -r "$RATES" -n "$REPS" -p "$port" -o "$out/$who.csv" \
	    >"$out/$who.txt"
	sed -n '/^#\|median/p' "$out/$who.txt"
	# bench-ingest.sh reads the CPU of the process it started: for the
	# TUI that is tui-collector.sh, which waits while tmux runs nftop.
	[ "$who" = tui ] && echo "# (tui: coll_cpu_pct and ns_per_rec are" \
	    "tui-collector.sh's, not nftop's; its loss and rate are nftop's)"
	# The knee, credited at the rate flowblast reached, not the one it
	# was asked for: on two CPUs the sender (which also pays the
	# kernel's loopback delivery) tops out near the collectors' knees.
	eval "knee_$who=\$(knee \"\$out/\$who.csv\")"
	eval "echo \"# knee (median loss < 0.1 %, at the rate sent): \$knee_$who\""
done
reach=$(reach "$out"/*.csv)
echo "# flowblast's reach this run (the best median send rate of a step): $reach records/s"
python3 - "$out/nfcapd.csv" "$out/batch.csv" "$out/tui.csv" <<'PY'
import csv, statistics, sys
def load(p):
    rows = {}
    try:
        for r in csv.DictReader(open(p)):
            rows.setdefault(int(r["target_rate"]), []).append(r)
    except (OSError, ValueError):
        pass
    return rows
c = [load(p) for p in sys.argv[1:]]
# The TUI's CPU column would be its tmux wrapper's (see above): none.
cpu_known = [True, True, False]
def med(rs, k):
    v = [float(r[k]) for r in rs if r[k] not in ("", "nan")]
    return statistics.median(v) if v else float("nan")
print("%10s | %22s | %22s | %22s" % ("rate", "nfcapd loss% ns/rec",
      "nftop --batch", "nftop TUI"))
for rate in sorted(set().union(*c), key=lambda r: (r == 0, r)):
    cells = []
    for t, known in zip(c, cpu_known):
        rs = t.get(rate, [])
        ns = "%6.0f" % med(rs, "coll_cpu_ns_per_rec") if known else "     -"
        cells.append("%8.3f %s %6.2fM" % (med(rs, "loss_pct"), ns,
            med(rs, "stored_rate") / 1e6))
    print("%10s | %s" % (rate or "flat-out", " | ".join(cells)))
PY
# A knee within 5 % of the sender's reach is the sender's limit, not the
# collector's: the table says so.
for who in batch tui; do
	eval "k=\${knee_$who:-0}"
	r=$(bench_ratio "$k" "${knee_nfcapd:-0}")
	label="--batch"
	[ "$who" = tui ] && label="TUI drawing"
	met=$(bench_met "$r" ge 2)
	if [ "$met" = no ] && awk -v k="$k" -v s="$reach" \
	    'BEGIN { exit !(k >= 0.95 * s) }'; then
		met="no (sender-bound: $reach)"
	fi
	bench_row "ingest knee $FMT, $label (rec/s)" "$k" "${knee_nfcapd:-0}" \
	    "$r" ">= 2x nfcapd" "$met"
done
