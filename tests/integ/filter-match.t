#!/bin/bash
# filter-match.t - nftop's filters select the same flows as nfdump's.
#
# One set of NetFlow v5 exports -- flowblast's (../shared/tools) followed
# by filter_match.py's own, which vary every v5 field from small value
# pools -- goes over loopback into nfcapd, and as a pcap to nftop --read.
# Then, for FILTER_N (default 500; 150 with a sanitizer build) random
# filters from a seeded generator, `nfdump -R DIR 'FILTER'` and `nftop
# --flows 'FILTER'` must print the same flows (compared by first/last
# time, addresses, packets and bytes).
#
# The generator uses the primitives both give one meaning on v5 records;
# what it leaves out, and why, is printed below ("not generated").  The
# seed is printed first and again on failure: FILTER_SEED=S repeats a run.
. "$(dirname "$0")/../lib.sh"

need nfcapd nfdump python3
[ -x "$FLOWBLAST" ] || skip_all "flowblast not built ($FLOWBLAST)"
HELPER="$(dirname "$0")/filter_match.py"
SEED=${FILTER_SEED:-$(( $(date +%s) % 100000 + $$ % 1000 ))}
# A sanitizer build starts ~10 times slower: fewer filters keep the test
# under a minute there; the plain build (make test) runs 500.
case "$NFTOP_BUILD" in
*-san*) N=${FILTER_N:-150} ;;
*) N=${FILTER_N:-500} ;;
esac
diag "seed $SEED, $N filters (FILTER_SEED=$SEED to repeat)"
python3 "$HELPER" excluded | while IFS= read -r why; do
	diag "not generated: $why"
done

# udp_bound PORT: something listens on 127.0.0.1:PORT (/proc/net/udp).
udp_bound() {
	grep -qi ":$(printf '%04X' "$1") 00000000:0000 07" /proc/net/udp
}

"$FLOWBLAST" -f v5 -n 500 -s "$SEED" -S 1764000000 -F 400 \
    -w "$T_TMP/blast.pcap" -q >/dev/null
ok $? "flowblast wrote 500 v5 records to a pcap"
nrec=$(python3 "$HELPER" data "$T_TMP" "$SEED" "$T_TMP/blast.pcap")
ok $? "$nrec records in all: flowblast's and filter_match.py's"

mkdir "$T_TMP/nf"
port=$(free_udp_port)
spawn nfcapd -w "$T_TMP/nf" -b 127.0.0.1 -p "$port" -t 3600 \
    2>"$T_TMP/nfcapd.log"
nfpid=$SPAWNED
wait_for 10 udp_bound "$port"
ok $? "nfcapd listens on 127.0.0.1:$port"
python3 "$HELPER" send "$T_TMP" "$port"
sleep 0.5
kill -TERM "$nfpid"
wait_for 10 eval '! kill -0 '"$nfpid"' 2>/dev/null'
ok $? "nfcapd stopped and wrote its file"

got=$(nfdump -R "$T_TMP/nf" -q -o 'fmt:%sa' 2>/dev/null | grep -c .)
is "$got" "$nrec" "nfdump reads back every record"
got=$("$NFTOP" --batch --read "$T_TMP/all.pcap" --flows --format json |
    grep -c .)
is "$got" "$nrec" "nftop reads every record from the pcap"

# router ip / engine-* need nftop to hand its source table to the filter.
router=""
if [ "$("$NFTOP" --batch --read "$T_TMP/all.pcap" --flows --format json \
    'router ip 127.0.0.1' | grep -c .)" = "$nrec" ]; then
	router=router
else
	diag "not generated: router ip, engine-type, engine-id: this nftop" \
	    "does not bind its source table to the filter"
fi
python3 "$HELPER" filters "$SEED" "$N" $router >"$T_TMP/filters"
python3 "$HELPER" check "$NFTOP" "$T_TMP/all.pcap" "$T_TMP/nf" \
    "$T_TMP/filters" "$T_TMP/results"
T=$'\t'
nonempty=0
while IFS= read -r line; do
	verdict=${line%%"$T"*} rest=${line#*"$T"}
	flt=${rest%%"$T"*} detail=${rest#*"$T"}
	[ "$verdict" = ok ]
	ok $? "$flt ($detail)"
	case "$detail" in
	"0 flows"|"$nrec flows") ;;
	*) nonempty=$((nonempty + 1)) ;;
	esac
done <"$T_TMP/results"
diag "$nonempty of $N filters select some but not all of the $nrec flows"
[ "$T_FAILED" -eq 0 ] || diag "seed $SEED failed: FILTER_SEED=$SEED repeats it"
echo "1..$T_NUM"
done_testing
