#!/bin/bash
# sampling.t - --sampling means the same for every format (README,
# "Sampling"): `--sampling N` scales the records of exporters that announce
# no rate by N and leaves an announced rate alone; `--sampling -N` scales
# every record by N, whatever was announced (nfcapd -s).  The unscaled
# counts are those of `--sampling -1`; every other run must be an exact
# multiple of them.  (NetFlow v5 and sFlow once ignored the option.)
# decode_rate itself, the rule all decoders share, has a unit test
# (test-dec-nf5.c), with the unannounced sFlow rate of 0 among its cases.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need python3
need_tools "$FLOWBLAST"
V5=$(ls "$CORPUS"/*/netflow-nfv5.pcap 2>/dev/null | head -1)
SF=$CORPUS/akvorado/sflow-data-1140.pcap
V9=$CORPUS/akvorado/netflow-data+templates.pcap
for f in "$V5" "$SF" "$V9"; do
	[ -f "$f" ] || skip_all "corpus file $f missing"
done
plan 14

# totals FILE OPTION...: "flows packets bytes sampling-of-each-source"
totals() {
	local f=$1
	shift
	"$NFTOP" --batch --read "$f" --format json "$@" | python3 -c '
import json, sys
d = json.load(sys.stdin)
t = d["totals"]
print(t["flows"], t["packets"], t["bytes"],
      ",".join(str(s["sampling"]) for s in d["sources"]))'
}

# check NAME FILE FACTOR OPTION...: the run's counts are FACTOR x the
# unscaled ones, with every source at rate FACTOR
check() {
	local name=$1 f=$2 k=$3 got base
	shift 3
	base=$(totals "$f" --sampling -1)
	got=$(totals "$f" "$@")
	is "$got" "$(echo "$base" | awk -v k="$k" '{
	    n = split($4, r, ","); s = k; for (i = 2; i <= n; i++) s = s "," k
	    print $1, $2 * k, $3 * k, s }')" \
	    "$name: ${*:-no option} scales packets and bytes by $k"
}

# NetFlow v5 with no rate in its header: the option is the rate.
is "$(totals "$V5" | cut -d' ' -f4)" 1 "v5 corpus file announces no rate"
check "v5" "$V5" 10 --sampling 10
check "v5" "$V5" 10 --sampling -10
check "v5" "$V5" 1

# sFlow always announces its rate: only a forced one replaces it.
rate=$(totals "$SF" | cut -d' ' -f4)
ok "$([ "$rate" -gt 1 ]; echo $?)" "sFlow file announces a rate ($rate)"
check "sFlow" "$SF" "$rate"
check "sFlow" "$SF" "$rate" --sampling 5
check "sFlow" "$SF" 3 --sampling -3
is "$(totals "$SF" --sampling -1 | cut -d' ' -f1,2)" \
    "$(totals "$SF" | cut -d' ' -f1) $(totals "$SF" | cut -d' ' -f1)" \
    "sFlow at --sampling -1: one packet per flow sample"

# v9 that announces no rate (flowblast's): the option is the rate.
FB=$T_TMP/fb9.pcap
"$FLOWBLAST" -f v9 -n 3000 -s 3 -S 1700000000 -w "$FB" -q >/dev/null
is "$(totals "$FB" | cut -d' ' -f4)" 1 "flowblast's v9 announces no rate"
check "v9, none announced" "$FB" 7 --sampling 7

# IPFIX/v9 (templates): the same rules, through the template decoder.
rate=$(totals "$V9" | cut -d' ' -f4 | cut -d, -f1)
check "v9" "$V9" "$rate" --sampling 7
check "v9" "$V9" 7 --sampling -7
ok "$([ "$(totals "$V9" --sampling -7 | cut -d' ' -f2)" -gt 0 ]; echo $?)" \
    "v9 file has packets to scale"
done_testing
