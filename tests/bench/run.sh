#!/bin/sh
# tests/bench/run.sh - `make bench`: the six figures of issue 8, each
# beside its peer from the same run, medians of BENCH_RUNS (5) runs, and
# at the end one table: figure | nftop | peer | ratio | target | met?
# The machine comes first (CPUs, model, load at start): the box is shared
# and every figure moves with what else runs.  Not part of `make test`.
#
#   1 ingest knee       ingest.sh v5 v9 ipfix   (nfcapd)
#   2 offline --read    offline.sh              (nfdump -r -s srcip/bytes)
#   3 metering          offline.sh              (softflowd -r)
#   4 view change       filter-bench            (nfdump aggregating 1 M)
#     filter speed      filter-bench            (nfdump's scan)
#   5 frame             frame.sh                (targets only)
#   6 memory            memory.sh               (nfcapd, nfdump)
#
# BENCH_ONLY="4 5" runs only those figures (1-6); BENCH_FORMATS="v5" only
# those export formats in figure 1.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/tests/bench/lib.sh"
: "${SHARED:=$(cd "$here/.." && pwd)/shared}"
: "${NFTOP_BUILD:=$here/build}"
ONLY=${BENCH_ONLY:-"1 2 3 4 5 6"}
W=$(mktemp -d "${TMPDIR:-/tmp}/nftop-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
BENCH_TABLE=$W/table
: >"$BENCH_TABLE"
: >"$BENCH_TABLE.facts"
export BENCH_RUNS BENCH_TABLE SHARED NFTOP_BUILD
start=$(bench_machine)
echo "# make bench on $(hostname): $start; BENCH_RUNS=$BENCH_RUNS"

want() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }
fact() { sed -n "s/^$1\t//p" "$BENCH_TABLE.facts" | tail -1; }
# median SED-EXPR FILE...: the median of what the expression extracts
median() {
	e=$1
	shift
	sed -n "$e" "$@" | python3 -c 'import statistics, sys
v = [float(x) for x in sys.stdin.read().split()]
print("%.1f" % statistics.median(v) if v else "-")'
}

if want 1; then
	for fmt in ${BENCH_FORMATS:-v5 v9 ipfix}; do
		echo "## 1. ingest knee, $fmt"
		"$here/tests/bench/ingest.sh" "$fmt"
	done
fi
if want 2 || want 3; then
	echo "## 2, 3. offline --read and metering"
	"$here/tests/bench/offline.sh"
fi
if want 4; then
	echo "## 4. view change (and filter speed, burst mode, detectors)"
	i=0
	while [ "$i" -lt "$BENCH_RUNS" ]; do
		"$NFTOP_BUILD/filter-bench" >"$W/fb.$i"
		"$NFTOP_BUILD/analysis-bench" >"$W/ab.$i"
		i=$((i + 1))
	done
	cat "$W/fb.0" "$W/ab.0"
	echo "# (one run shown; the table has medians of $BENCH_RUNS)"
	ms=$(median 's/^ *any (everything aggregated) *\([0-9.]*\) ms.*/\1/p' \
	    "$W"/fb.*)
	peer=$(fact nfdump_agg_1m_ms)
	bench_row "view change, 1M records, new filter (ms)" "$ms" \
	    "${peer:--}" "$(bench_ratio "${peer:-}" "$ms")" "< 100" \
	    "$(bench_met "$ms" lt 100)"
	mps=$(median 's/^ *ten terms (short-circuits) *\([0-9.]*\) M.*/\1/p' \
	    "$W"/fb.*)
	peer=$(fact nfdump_scan_mps)
	r=$(bench_ratio "$mps" "${peer:-}")
	bench_row "filter, ten terms (M rec/s)" "$mps" "${peer:--}" "$r" \
	    ">= 2x nfdump scan" "$(bench_met "$r" ge 2)"
	ms=$(median 's/^burst: .*: \([0-9.]*\) ms.*/\1/p' "$W"/ab.*)
	reb=$(median 's/^view rebuild (srcip, same records): \([0-9.]*\) ms/\1/p' \
	    "$W"/ab.*)
	bench_row "burst mode, 1M records, 100k keys (ms)" "$ms" "-" "-" \
	    "<= 50" "$(bench_met "$ms" le 50)"
	bench_row "view change, 1M records, 100k keys (ms)" "$reb" "-" "-" \
	    "< 100" "$(bench_met "$reb" lt 100)"
	ns=$(median 's/^alerts: \([0-9.-]*\) ns.*/\1/p' "$W"/ab.*)
	st=$(median 's/^alerts: .*store alone \([0-9.]*\) ns.*/\1/p' "$W"/ab.*)
	bench_row "alert detectors on the add path (ns/rec)" "$ns" \
	    "store $st" "-" "-" "-"
fi
if want 5; then
	echo "## 5. frame"
	"$here/tests/bench/frame.sh"
fi
if want 6; then
	echo "## 6. memory"
	"$here/tests/bench/memory.sh"
fi

echo
echo "# nftop beside its peers: medians of $BENCH_RUNS runs; machine at start: $start"
echo "# ratio: how many times faster nftop is (rates: nftop's"
echo "# over the peer's; times: the peer's over nftop's); memory: nftop's bytes"
echo "# over the peer's (smaller is better)"
python3 - "$BENCH_TABLE" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
head = ["figure", "nftop", "peer", "ratio", "target", "met?"]
w = [max(len(r[i]) for r in rows + [head]) for i in range(6)]
fmt = " | ".join("%%-%ds" % x for x in w)
print(fmt % tuple(head))
print("-+-".join("-" * x for x in w))
for r in rows:
    print(fmt % tuple(r))
PY
