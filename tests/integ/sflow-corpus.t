#!/bin/bash
# sflow-corpus.t - every sFlow v5 scenario of ../shared/corpus (MANIFEST.md)
# decoded by nftop and compared with the source projects' expectations and
# with two independent decoders run here on the same bytes.
#
#   akv-sflow-*             akvorado/sflow-data-*.pcap (akvorado's facts)
#   tel-sflow-drop          telegraf sflow_issue_15375 (discard sample)
#   tel-sflow-issue15918    telegraf sflow_issue_15918 (6 flow + 1 counter)
#   tel-sflow-example       telegraf sflow_v5_example (counter sample)
#   tcpd-sflow-counters-30  tcpdump sflow_multiple_counter_30_pdus (.out)
#   tcpd-sflow-segv         tcpdump sflow_print-segv (malformed on purpose)
#
# nftop runs as `--batch --read PCAP --flows --format json` (the records)
# and `--batch --read PCAP --format json` (sources[], interfaces[]); the
# telegraf .bin payloads are wrapped into a pcap (Ethernet/IPv4/UDP to port
# 6343) first.  Oracles:
#  1. the expected files (akvorado facts, telegraf line protocol, tcpdump's
#     verbatim -v decode for the counter samples);
#  2. `tcpdump -nn -vvv` run here on the same pcaps (rate, input/output,
#     the raw header's frame length, per flow sample);
#  3. sfcapd (nfdump-sflow) fed every datagram over loopback, each scenario
#     from its own 127.0.0.x address, read back with nfdump -o csv;
#  and a live nftop (--listen 127.0.0.1:0 --flows) fed the same datagrams
#  must print the same records as --read.
#
# Conventions reconciled (the checks say which):
#  - nftop scales by the sampling rate: packets = rate, bytes = frame
#    length x rate (sfcapd's convention; the frame length includes the L2
#    header and FCS).  akvorado reports the unscaled IP length: compared as
#    frame length - L2 header (from the sampled header) - stripped bytes
#    (FCS) = akvorado's Bytes, except a frame padded to the 64-byte minimum
#    (noted).  telegraf's l2_bytes is the frame length: compared x rate.
#  - the exporter is the sFlow agent address (akvorado does the same;
#    sfcapd keys by the UDP sender, so it is not compared there).
#  - interface counters: packets = unicast + multicast + broadcast, and a
#    counter the agent reports as unknown (-1, all ones) counts as 0.
#  - TODO (expectation or oracle wrong, or an nftop gap, reason on the
#    line): akvorado's 0 for the internal interface 0x3FFFFFFF; sfcapd's
#    outif for discard/multi-interface formats, its IP-length bytes when a
#    sampled-IPv4 record follows the raw header, its AS 0 where nftop and
#    akvorado use the router's own AS; telegraf's in_snmp (the data source
#    index) and its "hopopt" protocol; nftop sets no forwarding status for
#    an sFlow discard.
#  - SKIP: akvorado's VXLAN-decapsulation subtests (nftop does not
#    decapsulate; the outer flow is checked against tcpdump and sfcapd).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"
. "$(dirname "$0")/lib-checks.sh"

need python3 sfcapd nfdump tcpdump tshark
SFC="$INTEG_DIR/sflow_check.py"

SCEN=$(python3 "$SFC" prepare "$T_TMP" "$CORPUS")
case $SCEN in *MISSING*) skip_all "corpus file ${SCEN#*MISSING }" ;; esac
for s in $SCEN; do
	P=$T_TMP/$s.pcap
	timeout 30 "$NFTOP" --batch --read "$P" --flows --format json \
	    >"$T_TMP/$s.flows" 2>"$T_TMP/$s.flows.err"
	is "$?" 0 "$s: nftop --read --flows --format json exits 0"
	timeout 30 "$NFTOP" --batch --read "$P" --format json \
	    >"$T_TMP/$s.json" 2>"$T_TMP/$s.json.err"
	is "$?" 0 "$s: nftop --read --format json exits 0"
	tcpdump -nn -vvv -r "$P" >"$T_TMP/$s.tcpdump" 2>/dev/null
done
# The frames tcpdump calls "sFlow version 327681" (UDP source port 40000)
# are NetFlow v5: tshark's count of their records.
tshark -r "$T_TMP/tcpd-sflow-counters-30.pcap" -d udp.port==6343,cflow \
    -Y 'udp.srcport == 40000' -T fields -e cflow.count \
    >"$T_TMP/tcpd-sflow-counters-30.tshark-v5" 2>/dev/null
ok $? "tshark decoded the NetFlow v5 frames of the counter capture"

# sfcapd (the oracle) and a live nftop get every datagram once.
SFDIR=$T_TMP/sfcapd
mkdir -p "$SFDIR"
SF_PORT=$(free_udp_port)
spawn sfcapd -w "$SFDIR" -b 127.0.0.1 -p "$SF_PORT" -t 3600 >"$SFDIR.log" 2>&1
SF_PID=$SPAWNED
wait_for 10 udp_bound "$SF_PORT"
ok $? "sfcapd listens on 127.0.0.1:$SF_PORT"
nftop_start live --listen 127.0.0.1:0 --flows --format json
ok $? "live nftop listens on 127.0.0.1:$NFTOP_PORT"
LIVE_PID=$NFTOP_PID
python3 "$SFC" sendlist "$T_TMP/send.list" "$SF_PORT" "$NFTOP_PORT" \
    >"$T_TMP/sent.txt"
ok $? "every scenario sent to sfcapd and nftop, each from its own address"
NSENT=$(awk '{ n += $2 } END { print n + 0 }' "$T_TMP/sent.txt")
wait_for 10 udp_drained "$NFTOP_PORT"
wait_for 10 udp_drained "$SF_PORT"
sleep 0.3
proc_stop "$LIVE_PID" INT 10
is "$STOP_RC" 0 "live nftop exits 0 on SIGINT"
cp "$T_TMP/live.out" "$T_TMP/live.flows"
proc_stop "$SF_PID" TERM 15
is "$STOP_RC" 0 "sfcapd stopped on SIGTERM"
TZ=UTC nfdump -R "$SFDIR" -o csv >"$T_TMP/sfcapd.csv" 2>"$T_TMP/nfdump.err"
ok $? "nfdump read sfcapd's file"
diag "sent $NSENT datagrams; sfcapd: $(grep -o 'Flows: .*' "$SFDIR.log" | tail -n 1)"

tapchecks python3 "$SFC" corpus "$T_TMP" "$CORPUS"

end_testing
