#!/bin/bash
# tests/bench/offline.sh - nftop's offline speed beside its peers', same
# machine, same files, medians of hyperfine runs, pinned to one CPU:
#   decode+aggregate  nftop --read of a pcap of exports (v5, v9, IPFIX)
#                     vs nfdump -r FILE -s srcip/bytes on the same records
#   filter            nftop --read with a ten-term filter vs nfdump's scan
#   meter             nftop --read of a traffic pcap vs softflowd -r
# Not part of `make test`; `make bench` runs it.
#
# usage: tests/bench/offline.sh [RECORDS] [PACKETS] [RUNS]
#   defaults: 2000000 export records, 2000000 packets, $BENCH_RUNS (5) runs
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/tests/bench/lib.sh"
SHARED=${SHARED:-$(cd "$here/.." && pwd)/shared}
RECS=${1:-2000000} PKTS=${2:-2000000} RUNS=${3:-$BENCH_RUNS}
NFTOP=${NFTOP:-$here/nftop}
T=$here/build/tools
W=$(mktemp -d /dev/shm/nftop-bench.XXXXXX)
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$W"' EXIT
make -s -C "$here" SHARED="$SHARED" build/tools/flowblast build/tools/pcapgen

# median SECONDS of RUNS runs of a command, pinned to CPU 1
median() {
	hyperfine -N -w 1 -r "$RUNS" --export-json "$W/h.json" \
	    "taskset -c 1 $1" >/dev/null 2>&1
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$W/h.json"
}
rate() { python3 -c "print('%.2f' % ($1 / $2 / 1e6))"; }

echo "# $(bench_machine)"
printf '%-34s %12s %12s %8s\n' "what" "nftop M/s" "peer M/s" "ratio"
FILTER='proto tcp and not port 22 and bytes > 100 and packets < 1000000 and (src net 10.0.0.0/8 or dst net 10.0.0.0/8) and not src port 0 and flags S and dst port > 0 and tos 0 and not proto icmp'
for fmt in v5 v9 ipfix; do
	"$T/flowblast" -f "$fmt" -n "$RECS" -s 3 -S 1700000000 -w "$W/$fmt.pcap" -q >/dev/null
	# The same records through nfcapd, for nfdump to read.
	port=$((40000 + RANDOM % 20000))
	mkdir -p "$W/nf-$fmt"
	nfcapd -w "$W/nf-$fmt" -b 127.0.0.1 -p "$port" -t 3600 -B 4194304 >/dev/null 2>&1 & p=$!
	pids="$pids $p"
	sleep 0.5
	"$T/flowblast" -f "$fmt" -n "$RECS" -s 3 -S 1700000000 -r 500k -d "127.0.0.1:$port" -q >/dev/null
	sleep 1; kill -TERM $p; wait $p 2>/dev/null
	file=$(ls "$W/nf-$fmt"/nfcapd.2* | head -1)
	stored=$(nfdump -r "$file" -q -o csv -c 100000000 2>/dev/null | wc -l)
	a=$(median "$NFTOP --batch --read $W/$fmt.pcap --aggregate srcip --format json --history 524288")
	b=$(median "nfdump -r $file -s srcip/bytes -n 10 -q")
	printf '%-34s %12s %12s %8s\n' "read+aggregate $fmt (${stored} in nfdump)" "$(rate "$RECS" "$a")" "$(rate "$RECS" "$b")" "$(python3 -c "print('%.2f' % ($b / $a))")"
	r=$(python3 -c "print('%.2f' % ($b / $a))")
	bench_row "offline --read + aggregate $fmt (M rec/s)" \
	    "$(rate "$RECS" "$a")" "$(rate "$RECS" "$b")" "$r" \
	    ">= 2x nfdump -s" "$(bench_met "$r" ge 2)"
	# nfdump re-aggregating 1 M records: the view change's peer.
	[ "$fmt" = v9 ] && bench_fact nfdump_agg_1m_ms \
	    "$(python3 -c "print('%.1f' % ($b / $RECS * 1e9))")"
	if [ "$fmt" = v9 ]; then
		a=$(median "$NFTOP --batch --read $W/$fmt.pcap --format json --history 524288 $FILTER")
		# nfdump 1.7.1 aborts (realloc: invalid next size) on this
		# ten-term filter; its one-term scan is the anchor peers.md
		# measured, as in the issue's target.
		b=$(median "nfdump -r $file -q proto 47")
		printf '%-34s %12s %12s %8s\n' "read+10-term filter v9 (nfdump: proto 47)" "$(rate "$RECS" "$a")" "$(rate "$RECS" "$b")" "$(python3 -c "print('%.2f' % ($b / $a))")"
		# Its scan rate: the peer of filter evaluation.
		bench_fact nfdump_scan_mps "$(rate "$RECS" "$b")"
	fi
done
"$T/pcapgen" -o "$W/traffic.pcap" -p "$PKTS" -F 100k -s 5 >/dev/null
a=$(median "$NFTOP --batch --read $W/traffic.pcap --format json --history 524288")
b=$(median "softflowd -r $W/traffic.pcap -n 127.0.0.1:9 -v 9 -m 2000000")
printf '%-34s %12s %12s %8s\n' "meter packets (pcapgen)" "$(rate "$PKTS" "$a")" "$(rate "$PKTS" "$b")" "$(python3 -c "print('%.2f' % ($b / $a))")"
r=$(python3 -c "print('%.2f' % ($b / $a))")
bench_row "metering --read of packets (M pkt/s)" "$(rate "$PKTS" "$a")" \
    "$(rate "$PKTS" "$b")" "$r" ">= 2x softflowd -r" "$(bench_met "$r" ge 2)"
