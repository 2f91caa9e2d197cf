#!/bin/bash
# tests/bench/memory.sh - nftop's memory beside its peers' (`make bench`;
# not a test: nothing is asserted).  Issue 8, figure 6:
#   per retained record  peak RSS of `nftop --batch --read` keeping N
#                        records (window all, --history N) less that of
#                        the same run keeping 1000, over N; peer: the
#                        bytes per record of nfcapd's file of the same
#                        records (nfcapd keeps records on disk, not in
#                        memory)
#   per live key         peak RSS aggregating K distinct 5-tuples less
#                        that aggregating by protocol, over K; peer:
#                        nfdump -A srcip,dstip,srcport,dstport,proto on
#                        the same records, the same difference over K
#   flood                peak RSS (VmHWM) through FLOOD_SECONDS (60) of
#                        floodgen: 1 M new source addresses per second
#                        and a talker at 5 % of the bytes, nftop with its
#                        defaults in --batch and with the TUI headless in
#                        tmux; the talker's rank and the rate nftop took;
#                        peer: nfcapd's VmHWM under the same flood
# Medians of RUNS runs (default $BENCH_RUNS, 5; the flood: FLOOD_RUNS,
# the same).
#
# usage: tests/bench/memory.sh [RECORDS] [RUNS] [FLOOD_RUNS]
#   FLOOD_ONLY=1: only the flood figures
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/tests/bench/lib.sh"
SHARED=${SHARED:-$(cd "$here/.." && pwd)/shared}
RECS=${1:-1000000} RUNS=${2:-$BENCH_RUNS} FLOOD_RUNS=${3:-$BENCH_RUNS}
FLOOD_SECONDS=${FLOOD_SECONDS:-60}
NFTOP=${NFTOP:-$here/nftop}
T=$here/build/tools
W=$(mktemp -d /dev/shm/nftop-mem.XXXXXX)
SOCK="nftop-mem-$$"
chmod 711 "$W"
pids=""
TM() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'for p in $pids; do kill $p 2>/dev/null; done; TM kill-server >/dev/null 2>&1; rm -rf "$W"' EXIT
make -s -C "$here" SHARED="$SHARED" build/tools/flowblast build/tools/floodgen

med() { python3 -c 'import statistics,sys; print("%.0f" % statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
# maxrss_kb CMD...: the peak RSS of one run, in kB
maxrss_kb() { /usr/bin/time -f %M -o "$W/rss" "$@" >/dev/null 2>&1; cat "$W/rss"; }
# median_rss RUNS CMD...
median_rss() {
	local n=$1 i=0 v=""
	shift
	while [ "$i" -lt "$n" ]; do
		v="$v $(maxrss_kb "$@")"
		i=$((i + 1))
	done
	med $v
}
per() { python3 -c "print('%.0f' % (($1 - $2) * 1024 / $3))"; }
ratio() { python3 -c "print('%.2f' % ($1 / $2) if $2 else '-')"; }
hwm() { sed -n 's/^VmHWM:\s*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null; }

echo "# $(bench_machine)"
printf '%-46s %14s %14s %8s\n' "memory (median of $RUNS)" "nftop" "peer" "ratio"

# --- per retained record, and the same records through nfcapd.
if [ -z "${FLOOD_ONLY:-}" ]; then
"$T/flowblast" -q -f v5 -s 3 -S 1700000000 -n "$RECS" -w "$W/r.pcap" >/dev/null
big=$(median_rss "$RUNS" "$NFTOP" --batch --read "$W/r.pcap" --window all \
    --aggregate proto --history "$RECS" --format json)
small=$(median_rss "$RUNS" "$NFTOP" --batch --read "$W/r.pcap" --window all \
    --aggregate proto --history 1000 --format json)
port=$((40000 + RANDOM % 20000))
mkdir -p "$W/nf"
nfcapd -w "$W/nf" -b 127.0.0.1 -p "$port" -t 3600 -B 4194304 >/dev/null 2>&1 &
p=$!
pids="$pids $p"
sleep 0.5
"$T/flowblast" -q -f v5 -s 3 -S 1700000000 -n "$RECS" -r 300k \
    -d "127.0.0.1:$port" >/dev/null
sleep 1
kill -TERM $p
wait $p 2>/dev/null
nffile=$(ls "$W/nf"/nfcapd.2* | head -1)
stored=$(nfdump -r "$nffile" -q -o csv -c 100000000 2>/dev/null | wc -l)
disk=$(python3 -c "import os; print('%.0f' % (os.path.getsize('$nffile') / max($stored, 1)))")
printf '%-46s %14s %14s %8s\n' "bytes per retained record (nfcapd: on disk)" \
    "$(per "$big" "$small" "$RECS")" "$disk" "$(ratio "$(per "$big" "$small" "$RECS")" "$disk")"
bench_row "RSS per retained record (B; nfcapd: on disk)" \
    "$(per "$big" "$small" "$RECS")" "$disk" \
    "$(ratio "$(per "$big" "$small" "$RECS")" "$disk")" "-" "-"

# --- per live key: distinct 5-tuples, window all (keys outlive the ring).
"$T/flowblast" -q -f v5 -s 4 -S 1700000000 -n "$RECS" -F "$RECS" -H 100000 \
    -w "$W/k.pcap" >/dev/null
keys=$("$NFTOP" --batch --read "$W/k.pcap" --window all --aggregate 5tuple \
    --history 1000 --max-keys 4000000 --top 1 --format json |
    python3 -c 'import json,sys; print(json.loads(sys.stdin.readlines()[-1])["stats"]["keys"])')
kb=$(median_rss "$RUNS" "$NFTOP" --batch --read "$W/k.pcap" --window all \
    --aggregate 5tuple --history 1000 --max-keys 4000000 --format json)
pb=$(median_rss "$RUNS" "$NFTOP" --batch --read "$W/k.pcap" --window all \
    --aggregate proto --history 1000 --max-keys 4000000 --format json)
mkdir -p "$W/nk"
nfcapd -w "$W/nk" -b 127.0.0.1 -p "$port" -t 3600 -B 4194304 >/dev/null 2>&1 &
p=$!
pids="$pids $p"
sleep 0.5
"$T/flowblast" -q -f v5 -s 4 -S 1700000000 -n "$RECS" -F "$RECS" -H 100000 \
    -r 300k -d "127.0.0.1:$port" >/dev/null
sleep 1
kill -TERM $p
wait $p 2>/dev/null
nkfile=$(ls "$W/nk"/nfcapd.2* | head -1)
ka=$(median_rss "$RUNS" nfdump -r "$nkfile" -q -A srcip,dstip,srcport,dstport,proto -O bytes -c 100000000)
kp=$(median_rss "$RUNS" nfdump -r "$nkfile" -q -A proto -O bytes -c 100000000)
printf '%-46s %14s %14s %8s\n' "bytes per live key ($keys 5-tuples)" \
    "$(per "$kb" "$pb" "$keys")" "$(per "$ka" "$kp" "$keys")" \
    "$(ratio "$(per "$kb" "$pb" "$keys")" "$(per "$ka" "$kp" "$keys")")"
bench_row "RSS per live key (B; nfdump -A 5-tuple)" \
    "$(per "$kb" "$pb" "$keys")" "$(per "$ka" "$kp" "$keys")" \
    "$(ratio "$(per "$kb" "$pb" "$keys")" "$(per "$ka" "$kp" "$keys")")" \
    "-" "-"

fi

# --- the flood: nftop --batch, the TUI in tmux, nfcapd; VmHWM at the end.
# flood_run WHO: one flood at WHO (nftop|tui|nfcapd); prints "kB rate rank"
flood_run() {
	local who=$1 pid port rank=- rate
	rm -rf "$W/fl" "$W/fl.out" "$W/fl.err"
	case $who in
	nftop)
		"$NFTOP" --batch --listen 127.0.0.1:0 --format json --interval 1 \
		    --aggregate srcip --top 1 >"$W/fl.out" 2>"$W/fl.err" &
		pid=$!
		;;
	tui)
		port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		TM new-session -d -s f -x 160 -y 50 "env LC_ALL=C.UTF-8 \
XDG_CONFIG_HOME=$W XDG_STATE_HOME=$W '$NFTOP' --listen 127.0.0.1:$port \
--aggregate srcip 2>/dev/null; sleep 1"
		sleep 0.5
		pid=$(pgrep -P "$(TM display -p -t f '#{pane_pid}')" nftop ||
		    TM display -p -t f '#{pane_pid}')
		;;
	nfcapd)
		mkdir -p "$W/fl"
		port=$((40000 + RANDOM % 20000))
		nfcapd -w "$W/fl" -b 127.0.0.1 -p "$port" -t 3600 -B 4194304 \
		    >/dev/null 2>&1 &
		pid=$!
		;;
	esac
	pids="$pids $pid"
	sleep 1
	[ "$who" = nftop ] && port=$(sed -n 's/.*listening on udp .*:\([0-9][0-9]*\) (.*/\1/p' "$W/fl.err" | head -1)
	rate=$("$T/floodgen" -d "127.0.0.1:$port" -T "$FLOOD_SECONDS" -r 1000000 |
	    sed -n 's/.* rate=\([0-9]*\).*/\1/p')
	sleep 3
	kb=$(hwm "$pid")
	if [ "$who" = nftop ]; then
		rank=$(python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).readlines()[-1])
st = r["stats"]
first = r["top"][0]["key"]["srcip"] if r["top"] else "-"
print("%s,%.0f" % ("1" if first == "10.99.0.1" else "not-1",
      st["records"] / float(sys.argv[2])))' "$W/fl.out" "$FLOOD_SECONDS")
	fi
	if [ "$who" = tui ]; then
		TM capture-pane -p -t f | grep -q '^ *1 *10\.99\.0\.1 ' &&
		    rank=1 || rank=not-1
		TM kill-server >/dev/null 2>&1
	else
		kill -INT "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	echo "$kb $rate $rank"
}
for who in nftop tui nfcapd; do
	v="" last=""
	i=0
	while [ "$i" -lt "$FLOOD_RUNS" ]; do
		last=$(flood_run "$who")
		v="$v ${last%% *}"
		i=$((i + 1))
	done
	eval "fl_$who=\$(med \$v)"
	eval "info_$who=\"\$last\""
done
printf '%-46s %14s %14s %8s\n' "peak RSS kB, ${FLOOD_SECONDS}s flood of 1M new sources/s" \
    "$fl_nftop" "$fl_nfcapd" "$(ratio "$fl_nftop" "$fl_nfcapd")"
printf '%-46s %14s %14s %8s\n' "  ... nftop with the TUI drawing (tmux)" \
    "$fl_tui" "$fl_nfcapd" "$(ratio "$fl_tui" "$fl_nfcapd")"
set -- $info_nftop
# Met: at most 128 MiB and the real talker still first.
for who in nftop tui; do
	eval "kb=\$fl_$who info=\$info_$who"
	rank=$(echo "$info" | cut -d' ' -f3)
	met=$(bench_met "$kb" le 131072)
	[ "${rank%%,*}" = 1 ] || met=no
	label="--batch"
	[ "$who" = tui ] && label="TUI drawing"
	bench_row "peak RSS, ${FLOOD_SECONDS}s flood 1M src/s, $label (kB)" \
	    "$kb" "$fl_nfcapd" "$(ratio "$kb" "$fl_nfcapd")" \
	    "<= 131072, talker 1st" "$met (rank ${rank%%,*})"
done
echo "# flood: offered $2 records/s; nftop --batch took ${3#*,} records/s, talker rank ${3%%,*}; TUI talker rank $(echo "$info_tui" | cut -d' ' -f3); goal: <= 131072 kB"
