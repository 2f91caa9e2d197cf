#!/bin/bash
# v5-softflowd.t - NetFlow v5 from a real exporter, softflowd, into a live
# nftop, checked against nfcapd + nfdump fed the very same export.
#
# pcapgen writes a packet capture (50k packets over 3k flows, fixed seed,
# 10% IPv6).  `softflowd -r` meters it and exports NetFlow v5, which carries
# IPv4 only: softflowd drops the IPv6 flows, for nfcapd and nftop alike.
# softflowd -r is deterministic in flow keys and counters, so it runs once
# into nfcapd (the oracle) and once into each of three live nftop instances
# (--aggregate srcip, dstip, pair; each on its own ephemeral port).  nftop's
# totals and its top 10 by bytes must equal nfdump's to the packet and byte
# (nfdump -s srcip/bytes, -s dstip/bytes, -A srcip,dstip).  Ties at the
# 10th place may pick different keys, nothing else may differ.
#
# Flow times are not compared: without -a softflowd -r invents times
# relative to "now", with -a they are approximate (peers.md, gotcha 6).
# No -c/-p after -r (gotcha 5); -m 2000000 so no flow is force-expired and
# split (gotcha 6).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need softflowd nfcapd nfdump python3
need_tools "$PCAPGEN"

PCAP=$T_TMP/traffic.pcap
"$PCAPGEN" -o "$PCAP" -p 50k -F 3k -s 11 -S 1700000000 -c "$T_TMP/truth.csv" \
    >"$T_TMP/pcapgen.log" 2>&1
ok $? "pcapgen wrote the traffic capture"

# softflowd_to PORT LOG: export the capture as NetFlow v5 to 127.0.0.1:PORT.
softflowd_to() {
	timeout 60 softflowd -r "$PCAP" -v 5 -n "127.0.0.1:$1" -m 2000000 \
	    >"$2" 2>&1
}

# --- the oracle: softflowd -> nfcapd -> nfdump
FLOWDIR=$T_TMP/nfcapd
nfcapd_start "$FLOWDIR"
ok $? "nfcapd listens on 127.0.0.1:$NFCAPD_PORT"
softflowd_to "$NFCAPD_PORT" "$T_TMP/softflowd-nfcapd.log"
ok $? "softflowd exported the capture to nfcapd"
nfcapd_stop
is "$STOP_RC" 0 "nfcapd stopped on SIGTERM"
grep -q 'Sequence Errors: 0, Bad Packets: 0' "$FLOWDIR.log"
ok $? "nfcapd saw no sequence errors and no bad packets"

nfdump -R "$FLOWDIR" -I >"$T_TMP/nfdump-I.txt" 2>&1
ORACLE_FLOWS=$(sed -n 's/^Flows: //p' "$T_TMP/nfdump-I.txt")
ORACLE_PKTS=$(sed -n 's/^Packets: //p' "$T_TMP/nfdump-I.txt")
ORACLE_BYTES=$(sed -n 's/^Bytes: //p' "$T_TMP/nfdump-I.txt")
SF_DGRAMS=$(sed -n 's/.*records) in \([0-9]*\) packets.*/\1/p' \
    "$T_TMP/softflowd-nfcapd.log")
diag "oracle: flows=$ORACLE_FLOWS packets=$ORACLE_PKTS bytes=$ORACLE_BYTES" \
    "in $SF_DGRAMS datagrams"
[ -n "$ORACLE_FLOWS" ] && [ "$ORACLE_FLOWS" -gt 1000 ] && [ -n "$SF_DGRAMS" ]
ok $? "nfdump -I and softflowd report what was exported"

nfdump -R "$FLOWDIR" -q -o json >"$T_TMP/nfdump-records.json" 2>/dev/null
for k in srcip dstip; do
	nfdump -R "$FLOWDIR" -q -o csv -s "$k/bytes" -n 0 \
	    >"$T_TMP/nfdump-$k-all.csv" 2>/dev/null
	nfdump -R "$FLOWDIR" -q -o csv -s "$k/bytes" -n 10 \
	    >"$T_TMP/nfdump-$k-top.csv" 2>/dev/null
done
nfdump -R "$FLOWDIR" -q -N -A srcip,dstip -O bytes \
    -o 'fmt:%sa|%da|%fl|%pkt|%byt' >"$T_TMP/nfdump-pair-all.txt" 2>/dev/null
nfdump -R "$FLOWDIR" -q -N -A srcip,dstip -O bytes -n 10 \
    -o 'fmt:%sa|%da|%fl|%pkt|%byt' >"$T_TMP/nfdump-pair-top.txt" 2>/dev/null

# --- nftop: three live instances, one aggregate each
PIDS=() NAMES=(srcip dstip pair)
for k in "${NAMES[@]}"; do
	nftop_start "$k" --listen 127.0.0.1:0 --format json --interval 1 \
	    --window all --aggregate "$k" --order bytes --top 10
	ok $? "nftop --aggregate $k listens (port $NFTOP_PORT)"
	softflowd_to "$NFTOP_PORT" "$T_TMP/softflowd-$k.log"
	ok $? "softflowd exported the capture to nftop ($k)"
	PIDS+=("$NFTOP_PID")
done
for i in 0 1 2; do
	k=${NAMES[$i]}
	wait_records "$k" "${ORACLE_FLOWS:-1}" 20
	ok $? "nftop ($k) received all $ORACLE_FLOWS records"
	proc_stop "${PIDS[$i]}" INT 10
	is "$STOP_RC" 0 "nftop ($k) exits 0 on SIGINT"
done

pychecks python3 - "$T_TMP" "$ORACLE_FLOWS" "$ORACLE_PKTS" "$ORACLE_BYTES" \
    "$SF_DGRAMS" <<'PY'
import csv, sys
from nfutil import (Checks, aggregate, cmp_top, last_json, nfdump_fmt_pairs,
                    nfdump_json, nfdump_stat_csv, top_rows)

tmp = sys.argv[1]
flows, pkts, byts, dgrams = (int(x) for x in sys.argv[2:6])
ck = Checks()

# The oracle against itself and against pcapgen's truth (IPv4 flows).
recs = nfdump_json(tmp + "/nfdump-records.json")
ck.eq([len(recs), sum(r["packets"] for r in recs),
       sum(r["bytes"] for r in recs)], [flows, pkts, byts],
      "oracle: nfdump's records sum to nfdump -I's totals")
truth = [r for r in csv.DictReader(open(tmp + "/truth.csv"))
         if r["ipver"] == "4"]
ck.eq([len(truth), sum(int(r["packets"]) for r in truth),
       sum(int(r["bytes"]) for r in truth)], [flows, pkts, byts],
      "oracle: softflowd+nfcapd equal pcapgen's IPv4 truth")

tables = {
    "srcip": (nfdump_stat_csv(tmp + "/nfdump-srcip-all.csv")[1],
              nfdump_stat_csv(tmp + "/nfdump-srcip-top.csv")[0],
              ["srcip"]),
    "dstip": (nfdump_stat_csv(tmp + "/nfdump-dstip-all.csv")[1],
              nfdump_stat_csv(tmp + "/nfdump-dstip-top.csv")[0],
              ["dstip"]),
    "pair": (nfdump_fmt_pairs(tmp + "/nfdump-pair-all.txt")[1],
             nfdump_fmt_pairs(tmp + "/nfdump-pair-top.txt")[0],
             ["srcip", "dstip"]),
}
# nfdump's aggregates must be the records' aggregates (parsing check).
ck.eq(tables["srcip"][0], aggregate(recs, lambda r: (r["srcip"],)),
      "oracle: nfdump -s srcip/bytes equals its records summed by srcip")
ck.eq(tables["pair"][0],
      aggregate(recs, lambda r: (r["srcip"], r["dstip"])),
      "oracle: nfdump -A srcip,dstip equals its records summed by pair")

for name, (table, otop, fields) in tables.items():
    r = last_json("%s/%s.out" % (tmp, name))
    if r is None:
        ck.ok(False, "%s: nftop printed a JSON report" % name)
        continue
    ck.eq(r.get("aggregate"), "srcip,dstip" if name == "pair" else name,
          "%s: report names its aggregate" % name)
    ck.eq(r.get("window"), "all", "%s: window is all" % name)
    t = r["totals"]
    ck.eq([t["flows"], t["packets"], t["bytes"]], [flows, pkts, byts],
          "%s: totals (flows, packets, bytes) equal nfdump -I" % name)
    src = r["sources"]
    ck.eq([(s["exporter"], s["protocol"]) for s in src],
          [("127.0.0.1", "netflow-v5")], "%s: one source, 127.0.0.1 "
          "netflow-v5" % name)
    if src:
        s = src[0]
        ck.eq([s["datagrams"], s["records"], s["lost"], s["malformed"],
               s["dropped"], s["sampling"]], [dgrams, flows, 0, 0, 0, 1],
              "%s: source datagrams = softflowd's, records = nfdump's, "
              "lost/malformed/dropped 0, sampling 1" % name)
    cmp_top(ck, name, top_rows(r, fields), table, otop, 10)
    if name == "srcip":
        pr = {p["proto"]: [p["flows"], p["packets"], p["bytes"]]
              for p in r.get("protocols", [])}
        ck.eq(pr, {k[0]: v for k, v in
                   aggregate(recs, lambda x: (x["proto"],)).items()},
              "srcip: per-protocol flows/packets/bytes equal nfdump's")
PY

end_testing
