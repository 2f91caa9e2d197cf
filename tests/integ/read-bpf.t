#!/bin/bash
# read-bpf.t - --bpf EXPR with --read: the capture filter applies to the
# file as it does to an interface.
#
# tcpdump -r FILE EXPR is the oracle for which packets match.  For each
# case nftop --batch --read FILE --bpf EXPR --format json must exit 0 and:
#  - meter exactly the matching packets that are traffic, and decode
#    exactly the matching ones that are exports (nothing else is seen);
#  - count every packet of the file once: read.packets = exports + other
#    + truncated + filtered + unsupported_link, with read.filtered = the
#    packets tcpdump says do not match.
# Cases: 1kxun.pcap (TCP and UDP traffic) with udp and with tcp; a pmacct
# capture of IPFIX exports (UDP 9992) beside BGP (TCP 179) with udp and
# with tcp; an all-UDP sFlow capture with tcp (nothing left).  A bad
# expression is an error on stderr naming --bpf, a non-zero exit, and no
# report (nothing was read).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need tcpdump python3

KXUN=$CORPUS/ndpi/1kxun.pcap
BGP=$CORPUS/pmacct/500-IPFIXv10-BGP-CISCO-SRv6/traffic-00.pcap
SFLOW=$CORPUS/tcpdump/sflow_multiple_counter_30_pdus.pcap
for f in "$KXUN" "$BGP" "$SFLOW"; do
	[ -r "$f" ] || skip_all "corpus file $f missing"
done

# matching FILE [EXPR]: the packets tcpdump reads from FILE through EXPR.
matching() {
	tcpdump -nr "$1" ${2:+"$2"} 2>/dev/null | wc -l
}

# read_bpf NAME FILE EXPR: nftop's report of FILE through EXPR, bounded.
read_bpf() {
	timeout 60 "$NFTOP" --batch --read "$2" --bpf "$3" --format json \
	    >"$T_TMP/$1.json" 2>"$T_TMP/$1.err"
}

# check NAME FILE EXPR EXPORTS: one case (EXPORTS: are the matching
# packets export datagrams (1) or traffic (0)).
check() {
	local name=$1 file=$2 expr=$3 all match j=$T_TMP/$1.json
	all=$(matching "$file")
	match=$(matching "$file" "$expr")
	read_bpf "$name" "$file" "$expr"
	is "$?" 0 "$name: --read --bpf '$expr' exits 0"
	is "$(json_get "$j" 'r["read"]["packets"]')" "$all" \
	    "$name: read.packets is every packet in the file ($all)"
	is "$(json_get "$j" 'r["read"].get("filtered")')" "$((all - match))" \
	    "$name: read.filtered is what '$expr' leaves out (tcpdump)"
	is "$(json_get "$j" '(r["read"]["exports"] + r["read"]["other"] +
	    r["read"]["truncated"] + r["read"].get("filtered", 0) +
	    r["read"].get("unsupported_link", 0) - r["read"]["packets"])')" 0 \
	    "$name: every packet has one outcome in read"
	if [ "$4" = 1 ]; then
		is "$(json_get "$j" '[r["read"]["exports"],
		    r["stats"]["datagrams"], r["meter"]["packets"]]')" \
		    "[$match, $match, 0]" \
		    "$name: the $match matching exports decoded, nothing metered"
	else
		is "$(json_get "$j" '[r["read"]["exports"],
		    r["stats"]["datagrams"], r["meter"]["packets"],
		    r["totals"]["packets"]]')" "[0, 0, $match, $match]" \
		    "$name: the $match matching packets metered, no export"
	fi
}

check kxun-udp "$KXUN" udp 0
check kxun-tcp "$KXUN" tcp 0
check bgp-udp "$BGP" udp 1
check bgp-tcp "$BGP" tcp 0
check sflow-tcp "$SFLOW" tcp 0
is "$(json_get "$T_TMP/sflow-tcp.json" '[r["totals"]["flows"],
    len(r["sources"])]')" "[0, 0]" \
    "sflow-tcp: an all-UDP export capture through 'tcp': no flow, no source"

# Unfiltered, the same file still meters everything (filtered 0).
timeout 60 "$NFTOP" --batch --read "$KXUN" --format json \
    >"$T_TMP/kxun.json" 2>"$T_TMP/kxun.err"
is "$(json_get "$T_TMP/kxun.json" '[r["read"].get("filtered"),
    r["meter"]["packets"]]')" "[0, $(matching "$KXUN")]" \
    "kxun: without --bpf nothing is filtered and every packet is metered"

read_bpf bogus "$KXUN" 'bogus filter'
rc=$?
ok $((rc == 0)) "a bad --bpf expression exits non-zero (got $rc)"
grep -q -- '--bpf bogus filter: .*syntax error' "$T_TMP/bogus.err"
ok $? "the error on stderr names --bpf and the fault" ||
    sed 's/^/#   /' "$T_TMP/bogus.err"
is "$(wc -c <"$T_TMP/bogus.json")" 0 "no report: nothing was read"

end_testing
