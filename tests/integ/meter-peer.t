#!/bin/bash
# meter-peer.t - nftop's packet metering (--read PCAP) against two other
# meters of the same packets: softflowd (a real exporter, collected by
# nfcapd) and nDPI (the corpus' expected flows).
#
# Captures: ../shared/corpus/ndpi traffic pcaps (MANIFEST.md) and a pcapgen
# capture (20k packets over 2k flows, IPv4/IPv6, TCP/UDP/ICMP).
#
# 1. softflowd: `softflowd -r PCAP -v 10 -n 127.0.0.1:PORT -m 2000000`
#    into nfcapd (one per capture, all running at once), read back with
#    `nfdump -o csv`; nftop's `--read PCAP --flows --format json` records.
#    Both are summed by directional 5-tuple (ICMP: dport = type*256+code)
#    and must have the same keys and packets.  Bytes: nftop counts the IP
#    total length (NetFlow's definition, and pcapgen's truth); softflowd
#    counts the frame length minus the link header, so the Ethernet trailer
#    (padding of short frames) is in its bytes: softflowd's bytes must
#    equal nftop's + the trailer bytes of the same packets (tshark:
#    frame.len - IP length - Ethernet header - 802.1Q tags).  For the
#    pcapgen capture (no trailers) compare-flows.py must say IDENTICAL,
#    against softflowd and against pcapgen's own per-flow truth.  Every
#    capture is compared, tunnels included (both meter the outer header).
#    nftop must also meter every IP packet tshark sees and take none of
#    them for a flow export.  TODO: softflowd writes protocol 0 for a
#    non-first IPv6 fragment (nftop: the fragment header's next header, as
#    both do for IPv4 fragments).
# 2. nDPI: bidirectional flows keyed by 5-tuple (inner tuple for tunnels),
#    bytes = captured frame lengths with the link header.  Reconciled by
#    summing nftop's two directions of a flow (ICMP/ICMPv6: by address
#    pair, as nDPI keeps echo and reply in one flow, nftop keys them apart
#    by type); packets must be equal, and nftop's bytes (IP lengths) plus
#    the link-layer bytes of the same packets (frame length - IP length:
#    Ethernet header, VLAN tags, padding; from tshark) must equal nDPI's.
#    Compared: http.pcapng, http_ipv6, googledns_android10, 443-firefox,
#    1kxun, android, synscan, dlt_ppp (link type PPP, DLT 9, which
#    softflowd does not take: there nDPI is the only oracle).  Excluded:
#    6in4tunnel and vxlan (nDPI meters the inner flow, nftop and softflowd
#    the outer one), dns_fragmented (nDPI leaves out non-first IP
#    fragments; nftop and softflowd meter them, with ports 0).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"
. "$(dirname "$0")/lib-checks.sh"

need softflowd nfcapd nfdump tshark python3
need_tools "$PCAPGEN"
MC="$INTEG_DIR/meter_check.py"
COMPARE="$SHARED/tools/compare-flows.py"
[ -r "$COMPARE" ] || skip_all "../shared/tools/compare-flows.py missing"

ND=$CORPUS/ndpi
NDPI_CMP="http.pcapng http_ipv6.pcap googledns_android10.pcap 443-firefox.pcap
1kxun.pcap android.pcap synscan.pcap dlt_ppp.pcap"
ALL="$NDPI_CMP 6in4tunnel.pcap vxlan.pcap dns_fragmented.pcap"
for p in $ALL; do
	[ -r "$ND/$p" ] || skip_all "corpus file $ND/$p missing"
done

"$PCAPGEN" -o "$T_TMP/pcapgen.pcap" -p 20k -F 2k -s 5 -S 1700000000 \
    -c "$T_TMP/pcapgen.truth.csv" >"$T_TMP/pcapgen.log" 2>&1
ok $? "pcapgen wrote a capture with its per-flow truth"

NAMES="pcapgen.pcap $ALL"
pcap_of() { case $1 in pcapgen.pcap) echo "$T_TMP/$1" ;; *) echo "$ND/$1" ;; esac; }

# One nfcapd per capture, all started at once (each on a free port, files
# in its own directory), so softflowd's exports never mix.
set -- $(python3 "$MC" ports $(echo $NAMES | wc -w))
declare -A PORT CPID
for p in $NAMES; do
	PORT[$p]=$1
	shift
	mkdir -p "$T_TMP/$p.nfcapd"
	spawn nfcapd -w "$T_TMP/$p.nfcapd" -b 127.0.0.1 -p "${PORT[$p]}" \
	    -t 3600 -B 8388608 >"$T_TMP/$p.nfcapd.log" 2>&1
	CPID[$p]=$SPAWNED
done
bound=0
for p in $NAMES; do
	wait_for 10 udp_bound "${PORT[$p]}" && bound=$((bound + 1))
done
is "$bound" "$(echo $NAMES | wc -w)" "an nfcapd listens for every capture"

for p in $NAMES; do
	P=$(pcap_of "$p")
	ln -s "$P" "$T_TMP/$p.pcap"
	timeout 30 "$NFTOP" --batch --read "$P" --flows --format json \
	    >"$T_TMP/$p.flows" 2>"$T_TMP/$p.err"
	is "$?" 0 "$p: nftop --read --flows --format json exits 0"
	timeout 30 "$NFTOP" --batch --read "$P" --format json \
	    >"$T_TMP/$p.json" 2>"$T_TMP/$p.json.err"
	is "$?" 0 "$p: nftop --read --format json exits 0"
	# -m: no flow is force-expired; no -c after -r (peers.md, gotchas 5, 6)
	timeout 30 softflowd -r "$P" -v 10 -n "127.0.0.1:${PORT[$p]}" \
	    -m 2000000 >"$T_TMP/$p.softflowd.log" 2>&1
	ok $? "$p: softflowd -r exported it as IPFIX to nfcapd"
	tshark -r "$P" -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
	    -T fields -E occurrence=a -E aggregator=, \
	    -e frame.len -e ip.len -e ipv6.plen -e ip.proto -e ipv6.nxt \
	    -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst -e tcp.srcport \
	    -e tcp.dstport -e udp.srcport -e udp.dstport -e ipv6.hopopts.nxt \
	    -e ipv6.fraghdr.nxt -e vlan.id -e icmp.type -e icmp.code \
	    -e icmpv6.type -e icmpv6.code -e ip.frag_offset \
	    >"$T_TMP/$p.tshark" 2>/dev/null
done
for p in $NAMES; do
	wait_for 10 udp_drained "${PORT[$p]}"
done
sleep 0.5
for p in $NAMES; do
	kill -TERM "${CPID[$p]}" 2>/dev/null
done
stopped=0
for p in $NAMES; do
	wait_exit "${CPID[$p]}" 15 && [ "$STOP_RC" = 0 ] && stopped=$((stopped + 1))
	TZ=UTC nfdump -R "$T_TMP/$p.nfcapd" -o csv >"$T_TMP/$p.nfdump.csv" \
	    2>/dev/null
done
is "$stopped" "$(echo $NAMES | wc -w)" "every nfcapd flushed its file and exited 0"

tapchecks python3 "$MC" peer "$T_TMP" $NAMES
python3 "$COMPARE" --show 3 "$T_TMP/pcapgen.truth.csv" \
    "$T_TMP/pcapgen.pcap.nftop.csv" >"$T_TMP/pcapgen.truth.cmp" 2>&1
ok $? "pcapgen.pcap: nftop's flows equal pcapgen's truth (compare-flows.py)" ||
    sed 's/^/#   /' "$T_TMP/pcapgen.truth.cmp"
python3 "$COMPARE" --show 3 "$T_TMP/pcapgen.pcap.softflowd.csv" \
    "$T_TMP/pcapgen.pcap.nftop.csv" >"$T_TMP/pcapgen.sfd.cmp" 2>&1
ok $? "pcapgen.pcap: nftop's flows equal softflowd's exactly (compare-flows.py)" ||
    sed 's/^/#   /' "$T_TMP/pcapgen.sfd.cmp"

for p in $NDPI_CMP; do
	ln -s "$ND/$p.flows.expected.txt" "$T_TMP/$p.expected"
done
tapchecks python3 "$MC" ndpi "$T_TMP" $NDPI_CMP

end_testing
