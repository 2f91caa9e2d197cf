#!/bin/sh
# tests/bench/frame.sh - how long the screen takes to make a frame with
# 100k and 1M live keys (`make bench`; not a test: nothing is asserted).
#
# flowblast writes NetFlow v5 with a large flow pool to a pcap; nftop
# reads it in a private tmux server aggregated by 5-tuple, with room for
# every record and key, and NFTOP_FRAME_LOG set.  Once the file is read,
# the "sort bytes" key is pressed a few times: each press takes a fresh
# snapshot (the top 1000 of every key, then the rows' histories) and
# draws it.  Printed: the median snapshot and draw times, in ms.
set -e

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/bench/lib.sh"
NFTOP=${NFTOP:-$ROOT/nftop}
: "${SHARED:=$(cd "$ROOT/.." && pwd)/shared}"
: "${NFTOP_BUILD:=$ROOT/build}"
FLOWBLAST=$NFTOP_BUILD/tools/flowblast
SOCK="nftop-frame-$$"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nftop-frame.XXXXXX")
chmod 711 "$TMP"
PRESSES=$((BENCH_RUNS < 7 ? 7 : BENCH_RUNS))

TM() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
	TM kill-server >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$FLOWBLAST" ]; then
	FLOWBLAST="$TMP/flowblast"
	cc -O2 -o "$FLOWBLAST" "$SHARED/tools/flowblast.c" -lm
fi

# run LABEL TARGET POOL RECORDS
run() {
	"$FLOWBLAST" -q -f v5 -s 1 -S 1700000000 -F "$3" -H 100000 -n "$4" \
	    -r 0 -w "$TMP/f.pcap" >/dev/null
	: >"$TMP/frames"
	TM new-session -d -s b -x 160 -y 50 "env LC_ALL=C \
XDG_CONFIG_HOME=$TMP XDG_STATE_HOME=$TMP NFTOP_FRAME_LOG=$TMP/frames \
'$NFTOP' --read '$TMP/f.pcap' --aggregate 5tuple --history $4 \
--max-keys $4; sleep 1"
	n=600
	while [ "$n" -gt 0 ] && ! TM capture-pane -p -t b | grep -q ' read '; do
		sleep 0.1
		n=$((n - 1))
	done
	sleep 1
	: >"$TMP/frames"
	i=0
	while [ "$i" -lt "$PRESSES" ]; do
		TM send-keys -t b B
		sleep 1
		i=$((i + 1))
	done
	TM send-keys -t b q
	sleep 0.5
	TM kill-server >/dev/null 2>&1 || true
	python3 - "$1" "$TMP/frames" >"$TMP/result" <<'PY'
import statistics, sys
rows = [dict(f.split("=", 1) for f in l.split()) for l in open(sys.argv[2])]
rows = [r for r in rows if "snap_usec" in r]
if not rows:
    print("%-5s no frames logged" % sys.argv[1])
    sys.exit(0)
snap = statistics.median(int(r["snap_usec"]) for r in rows) / 1000
draw = statistics.median(int(r["draw_usec"]) for r in rows) / 1000
print("%-5s %9s keys  snapshot %7.1f ms  draw %5.1f ms  frame %7.1f ms"
      "  (median of %d, %s)" % (sys.argv[1], rows[-1]["keys"], snap, draw,
      snap + draw, len(rows), rows[-1]["size"]))
PY
	cat "$TMP/result"
	ms=$(sed -n 's/.* frame *\([0-9.]*\) ms.*/\1/p' "$TMP/result")
	bench_row "frame, $1 live keys (ms)" "${ms:--}" "-" "-" "$2" \
	    "$(bench_met "${ms:--}" lt "${2#< }")"
}

echo "frame: top talkers by 5-tuple, 160x50, nftop --read (NFTOP_FRAME_LOG)"
# No peer draws a live top-N; the issue's targets stand alone.
run 100k "< 20" 180000 240000
run 1M "< 20" 2200000 2200000
