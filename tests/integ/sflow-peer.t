#!/bin/bash
# sflow-peer.t - sFlow v5 from a real agent, pmacctd's sfprobe plugin, into
# a live nftop, checked against nfdump's sFlow collector sfcapd fed the very
# same datagrams.
#
# pcapgen writes a packet capture (20k packets over 2k flows, fixed seed,
# 10% IPv6); pmacctd reads it (pcap_savefile) and its sfprobe plugin sends
# every packet as a 1-in-1 flow sample.  pmacctd drops the last few samples
# at exit, and not always the same number (peers.md, gotcha 8), so it runs
# ONCE: a small UDP tee (sflow_check.py tee, Python) receives its datagrams
# and forwards each one, in order, to sfcapd and to nftop
# (--listen 127.0.0.1:0 --interval 1 --window all --aggregate srcip).  Both
# see identical input, so nftop must equal nfdump exactly:
#  - totals: records (= samples: sfcapd stores one flow per sample),
#    packets and bytes (nfdump -I);
#  - the top 10 source addresses by bytes (nfdump -s srcip/bytes), every
#    row's flows, packets and bytes; ties at the 10th place aside.
# Both count bytes as the sampled frame length (sfprobe reports the wire
# length + 4 for the FCS) x rate.  The tee's datagram count must equal
# nftop's.  A second live nftop (--flows) gets the same datagrams too: its
# records, summed by 5-tuple, must equal pcapgen's per-flow truth (bytes =
# IP length + 14 + 4 per packet), except the few tail packets pmacctd never
# sent.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"
. "$(dirname "$0")/lib-checks.sh"

need pmacctd sfcapd nfdump python3
need_tools "$PCAPGEN"
SFC="$INTEG_DIR/sflow_check.py"

PCAP=$T_TMP/traffic.pcap
"$PCAPGEN" -o "$PCAP" -p 20k -F 2k -s 7 -S 1700000000 -c "$T_TMP/truth.csv" \
    >"$T_TMP/pcapgen.log" 2>&1
ok $? "pcapgen wrote the traffic capture"

# --- the two collectors
SFDIR=$T_TMP/sfcapd
mkdir -p "$SFDIR"
SF_PORT=$(free_udp_port)
spawn sfcapd -w "$SFDIR" -b 127.0.0.1 -p "$SF_PORT" -t 3600 -B 8388608 \
    >"$SFDIR.log" 2>&1
SF_PID=$SPAWNED
wait_for 10 udp_bound "$SF_PORT"
ok $? "sfcapd listens on 127.0.0.1:$SF_PORT"
nftop_start live --listen 127.0.0.1:0 --format json --interval 1 \
    --window all --aggregate srcip --order bytes --top 10
ok $? "nftop listens on 127.0.0.1:$NFTOP_PORT"
LIVE_PID=$NFTOP_PID LIVE_PORT=$NFTOP_PORT
nftop_start recs --listen 127.0.0.1:0 --flows --format json
ok $? "a second nftop (--flows) listens on 127.0.0.1:$NFTOP_PORT"
RECS_PID=$NFTOP_PID RECS_PORT=$NFTOP_PORT

# --- the tee: one receive, two sends
spawn python3 "$SFC" tee "$T_TMP/tee.port" "$SF_PORT" "$LIVE_PORT" "$RECS_PORT" \
    >"$T_TMP/tee.out" 2>"$T_TMP/tee.err"
TEE_PID=$SPAWNED
wait_for 10 test -s "$T_TMP/tee.port"
TEE_PORT=$(cat "$T_TMP/tee.port" 2>/dev/null)
[ -n "$TEE_PORT" ]
ok $? "the UDP tee listens on 127.0.0.1:$TEE_PORT"

# --- the agent: pmacctd + sfprobe, reading the capture (exits at its end)
cat >"$T_TMP/pmacctd.conf" <<EOF
daemonize: false
pcap_savefile: $PCAP
pcap_savefile_wait: false
plugins: sfprobe[sp]
sfprobe_receiver[sp]: 127.0.0.1:$TEE_PORT
sfprobe_agentip[sp]: 127.0.0.1
sampling_rate[sp]: 1
plugin_pipe_size[sp]: 10240000
plugin_buffer_size[sp]: 10240
EOF
timeout 40 pmacctd -f "$T_TMP/pmacctd.conf" >"$T_TMP/pmacctd.log" 2>&1
rc=$?
# pmacctd sometimes exits 1 after a complete savefile run (peers.md)
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]
ok $? "pmacctd read the capture and exited (status $rc)"

# The tee has forwarded everything once its socket is drained.
wait_for 10 udp_drained "$TEE_PORT"
sleep 0.5
proc_stop "$TEE_PID" TERM 10
is "$STOP_RC" 0 "the tee stopped on SIGTERM"
DGRAMS=$(sed -n 's/^datagrams=\([0-9]*\) .*/\1/p' "$T_TMP/tee.out")
[ -n "$DGRAMS" ] && [ "$DGRAMS" -gt 100 ]
ok $? "the tee forwarded ${DGRAMS:-no} sFlow datagrams"

wait_for 10 python3 "$NFUTIL" test "$T_TMP/live.out" \
    "r['stats']['datagrams'] >= ${DGRAMS:-1}"
ok $? "nftop received the $DGRAMS datagrams"
wait_for 10 udp_drained "$SF_PORT"
sleep 1.2			# one more report after the last datagram
wait_for 10 udp_drained "$RECS_PORT"
proc_stop "$LIVE_PID" INT 10
is "$STOP_RC" 0 "nftop exits 0 on SIGINT"
proc_stop "$RECS_PID" INT 10
is "$STOP_RC" 0 "nftop --flows exits 0 on SIGINT"
sleep 0.3
proc_stop "$SF_PID" TERM 15
is "$STOP_RC" 0 "sfcapd stopped on SIGTERM"
grep -q 'Sequence Errors: 0, Bad Packets: 0' "$SFDIR.log"
ok $? "sfcapd saw no sequence errors and no bad packets"

nfdump -R "$SFDIR" -I >"$T_TMP/nfdump-I.txt" 2>&1
nfdump -R "$SFDIR" -q -o csv -s srcip/bytes -n 0 \
    >"$T_TMP/nfdump-srcip-all.csv" 2>/dev/null
nfdump -R "$SFDIR" -q -o csv -s srcip/bytes -n 10 \
    >"$T_TMP/nfdump-srcip-top.csv" 2>/dev/null

tapchecks python3 - "$T_TMP" "$DGRAMS" <<'PY'
import csv, sys
from nfutil import cmp_top, last_json, nfdump_stat_csv, top_rows
from sflow_check import Checks

tmp, dgrams = sys.argv[1], int(sys.argv[2] or 0)
ck = Checks()
r = last_json(tmp + "/live.out")
info = {}
for line in open(tmp + "/nfdump-I.txt"):
    if ":" in line:
        k, v = line.split(":", 1)
        info[k.strip()] = v.strip()
want = (int(info.get("Flows", -1)), int(info.get("Packets", -1)),
        int(info.get("Bytes", -1)))
t = r["totals"]
ck.eq((t["flows"], t["packets"], t["bytes"]), want,
      "totals: records, packets, bytes equal nfdump -I's")
src = [s for s in r["sources"] if s["protocol"] == "sflow-v5"]
ck.eq([(s["exporter"], s["datagrams"]) for s in src],
      [("127.0.0.1", dgrams)],
      "one sFlow source, the agent 127.0.0.1, with every datagram the tee "
      "sent")
ck.eq([(s["records"], s["flow_samples"], s["sampling"]) for s in src],
      [(want[0], want[0], 1)],
      "records = flow samples = sfcapd's flows, sampling rate 1")
bad = {k: sum(s[k] for s in src) for k in ("malformed", "lost", "dropped",
       "samples_lost", "bad_samples", "no_header")}
ck.eq(bad, dict.fromkeys(bad, 0), "nothing malformed, lost or dropped")
order, table = nfdump_stat_csv(tmp + "/nfdump-srcip-all.csv")
topo, _ = nfdump_stat_csv(tmp + "/nfdump-srcip-top.csv")
ck.eq(len(table), len({k for k in table}), "nfdump -s srcip parsed")
cmp_top(ck, "srcip", top_rows(r, ["srcip"]), table, topo)
# what pmacctd delivered, against pcapgen's truth (packets; bytes are the
# IP lengths there, sfprobe's are frame lengths + 4)
tp = sum(int(row["packets"]) for row in csv.DictReader(open(
    tmp + "/truth.csv")))
ck.ok(0 < tp - want[1] <= 50 or tp == want[1],
      "pmacctd delivered all but a few tail samples (%d of %d packets)"
      % (want[1], tp), "%d missing" % (tp - want[1]))

# The records (--flows), summed by 5-tuple, against pcapgen's truth: one
# record per packet (rate 1), bytes = IP length + 14 (Ethernet header) + 4
# (FCS, which sfprobe adds to the frame length).  Only the flows that lost
# their last packets to pmacctd's exit may be short.
from nfutil import json_lines
recs = [x for x in json_lines(tmp + "/recs.out")
        if x.get("protocol") == "sflow-v5"]
ck.eq((len(recs), sum(x["packets"] for x in recs),
       sum(x["bytes"] for x in recs)), want,
      "nftop --flows: records, packets, bytes = the aggregating nftop's")
ck.ok(all(x["packets"] == 1 and x["sampling"] == 1 and
          x["exporter"] == "127.0.0.1" for x in recs),
      "every record is one sampled packet from agent 127.0.0.1")
mine = {}
for x in recs:
    k = (x["srcip"], x["dstip"], x["srcport"], x["dstport"], x["proto"])
    c = mine.setdefault(k, [0, 0])
    c[0] += 1
    c[1] += x["bytes"]
truth = {}
for row in csv.DictReader(open(tmp + "/truth.csv")):
    k = (row["src"], row["dst"], int(row["sport"]), int(row["dport"]),
         int(row["proto"]))
    truth[k] = (int(row["packets"]), int(row["bytes"]))
extra = sorted(set(mine) - set(truth))
short, wrong = [], []
for k, (tpk, tby) in truth.items():
    pk, by = mine.get(k, (0, 0))
    if (pk, by) == (tpk, tby + 18 * tpk):
        continue
    if pk < tpk:
        short.append((k, tpk - pk))
    else:
        wrong.append("%r: nftop %r, truth %r" % (k, (pk, by), (tpk, tby)))
ck.eq(extra, [], "nftop --flows: no 5-tuple that pcapgen did not write")
ck.ok(not wrong, "nftop --flows: every flow's packets = pcapgen's, bytes = "
      "IP bytes + 18 per packet (Ethernet header + FCS)", "; ".join(wrong[:3]))
ck.ok(sum(n for _, n in short) == tp - want[1],
      "only the %d packets pmacctd never sent are missing (%d flows short)"
      % (tp - want[1], len(short)), "short %r" % short[:3])
PY

end_testing
