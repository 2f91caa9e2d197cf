#!/bin/bash
# v9-ipfix-peers.t - NetFlow v9 and IPFIX from real exporters into a live
# nftop, checked against nfcapd + nfdump and against tshark's decoder, all
# three fed the very same datagrams.
#
# pcapgen writes one packet capture (30k packets over 2k flows, fixed seed,
# 20% IPv6: v9 and IPFIX carry IPv6, so every flow is exported).  Four
# exporters meter it in turn:
#     softflowd -r -v 9, softflowd -r -v 10,
#     pmacctd (pcap_savefile) + nfprobe, nfprobe_version 9 and 10.
# Each exports to a small UDP tee (nfutil.py tee: bounded, stops itself)
# that sends every datagram, in arrival order, to nfcapd and to a live
# `nftop --batch --listen 127.0.0.1:0 --format json --interval 1
# --window all --aggregate srcip`, and writes it to a pcap.  nfcapd, nftop
# and tshark therefore see identical datagrams, and must agree exactly:
#  - nftop's totals (flows, packets, bytes) = nfdump -I = tshark's sums of
#    cflow.srcaddr/srcaddrv6 (records), cflow.packets, cflow.octets;
#  - per-protocol flows/packets/bytes = nfdump's records summed by proto =
#    tshark's records summed by cflow.protocol;
#  - the top 10 by srcip (live), and by dstip, dstip ordered by packets and
#    srcip,dstip pairs (`nftop --read` of the tee's pcap) = nfdump -s
#    srcip/bytes, -s dstip/bytes, -s dstip/packets, -A srcip,dstip; every
#    row's flows, packets and bytes, ties at the 10th place aside;
#  - `nftop --read` of the tee's pcap = the live run (totals, protocols,
#    top 10, the source's counters: everything but the exporter's port,
#    which the tee changed);
#  - the source: one exporter, records = nfdump's, datagrams = the tee's,
#    malformed 0, templates > 0, nothing waiting for a template or expired
#    waiting, lost 0 (softflowd IPFIX aside, see below);
#  - nfdump's records equal pcapgen's truth in number, packets and bytes;
#  - record by record (`nftop --read --flows`), 5-tuple, packets, bytes,
#    TCP flags and ToS equal nfdump's; for pmacctd also first/last, which
#    equal pcapgen's truth to the ms.
#
# Known exporter and nfdump quirks, and how they are handled (none of them
# touches addresses, protocols or counters, so none touches the checks
# above; the ICMP check below is where they show):
#  - softflowd IPFIX sequence numbers count the message's own data records
#    (RFC 7011 s3.1: records sent *before* the message; the first message
#    should carry 0, softflowd's carries its own record count), checked for
#    every message from tshark's decode.  A collector then sees a gap of
#    n(i) - n(i-1) at every message: nfcapd logs "Sequence Errors" (one per
#    mismatching message, about 60 here), nftop counts the forward gaps as
#    lost records (about 90) and the backward ones as seq_resets (about
#    30).  Both must equal a replay of tshark's sequence numbers through the
#    RFC's rule, while nothing is actually lost (records = nfdump's =
#    truth, and tshark's sums are nftop's totals).
#  - ICMP type/code: softflowd v9 sends ICMPv6 type/code in field 139
#    (icmpTypeCodeIPv6), pmacctd v9 sends ICMP's in L4_DST_PORT (11) and no
#    field 32; nfdump 1.7.1's v9 decoder reads only field 32, so it shows
#    0/0 for those records.  peers.md listed these as exporter quirks, but
#    the exporters send the right values where RFC 3954 / the IPFIX
#    registry allow them, as tshark's decode shows (DstPort 2048 = echo
#    request from pmacctd, icmpTypeCodeIPv6 128/0 from softflowd); the
#    quirk is nfdump's.  Ports-based keys (dstport) would show it, the
#    address and protocol keys compared above do not.  nftop reads
#    all three places: its type/code must equal pcapgen's truth for every
#    ICMP record of every exporter; nfdump's must too, except records it
#    shows as 0/0 from a v9 exporter, which are counted as nfdump's quirk.
#  - softflowd's flow times are not compared: softflowd -r invents them
#    relative to "now" (its v9 FIRST_SWITCHED is ahead of the header's
#    sysUptime, which nftop reads as a 32-bit counter that wrapped and
#    nfdump as a time in the future), and nfdump 1.7.1 swaps softflowd's
#    IPFIX first/last (flowStartSysUpTime < flowEndSysUpTime in tshark's
#    decode; nftop keeps them in order).  pmacctd's are exact, but its
#    nfprobe keeps one flow for both directions, so each direction's record
#    has the span of the two.
#
# No -c/-p after -r (peers.md, gotcha 5); -m 2000000 so no flow is
# force-expired and split (gotcha 6); pmacctd with a big plugin pipe
# (gotcha 4), which exits at the end of the file (sometimes with status 1).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need softflowd pmacctd nfcapd nfdump tshark python3
need_tools "$PCAPGEN"

PCAP=$T_TMP/traffic.pcap
TRUTH=$T_TMP/truth.csv
"$PCAPGEN" -o "$PCAP" -p 30k -F 2k -6 20 -s 23 -S 1700000000 -c "$TRUTH" \
    >"$T_TMP/pcapgen.log" 2>&1
ok $? "pcapgen wrote the traffic capture ($(sed -n 's/^pcapgen: //p' \
    "$T_TMP/pcapgen.log" | cut -d' ' -f1-4))"

# export_to NAME KIND VERSION PORT: meter the capture with the exporter, send
# to 127.0.0.1:PORT; log in $T_TMP/NAME/exporter.log.
export_to() {
	local dir=$T_TMP/$1 rc
	case $2 in
	softflowd)
		timeout 30 softflowd -r "$PCAP" -v "$3" -n "127.0.0.1:$4" \
		    -m 2000000 >"$dir/exporter.log" 2>&1
		;;
	pmacctd)
		cat >"$dir/pmacctd.conf" <<-EOF
		daemonize: false
		pcap_savefile: $PCAP
		pcap_savefile_wait: false
		plugins: nfprobe[np]
		nfprobe_receiver[np]: 127.0.0.1:$4
		nfprobe_version[np]: $3
		nfprobe_maxflows[np]: 2000000
		plugin_pipe_size[np]: 102400000
		plugin_buffer_size[np]: 102400
		EOF
		timeout 40 pmacctd -f "$dir/pmacctd.conf" \
		    >"$dir/exporter.log" 2>&1
		rc=$?
		# pmacctd sometimes exits 1 after a complete run (peers.md)
		[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]
		;;
	esac
}

# run NAME KIND VERSION: one exporter, through the tee, into nfcapd and a
# live nftop; then the oracles' and nftop --read's outputs in $T_TMP/NAME.
run() {
	local name=$1 kind=$2 ver=$3 dir=$T_TMP/$1 live tee dgrams flows k
	mkdir -p "$dir"
	diag "--- $name: $kind, export version $ver"
	nfcapd_start "$dir/nfcapd"
	ok $? "$name: nfcapd listens on 127.0.0.1:$NFCAPD_PORT"
	nftop_start "$name/live" --listen 127.0.0.1:0 --format json \
	    --interval 1 --window all --aggregate srcip --order bytes --top 10
	ok $? "$name: nftop listens on 127.0.0.1:$NFTOP_PORT"
	live=$NFTOP_PID
	spawn python3 "$NFUTIL" tee "$dir/tee.port" "$dir/tee.pcap" 5 60 \
	    "$NFCAPD_PORT" "$NFTOP_PORT" >"$dir/tee.out" 2>"$dir/tee.err"
	tee=$SPAWNED
	wait_until 10 test -s "$dir/tee.port"
	TEE_PORT=$(cat "$dir/tee.port" 2>/dev/null)
	[ -n "$TEE_PORT" ]
	ok $? "$name: the UDP tee listens on 127.0.0.1:$TEE_PORT"

	export_to "$name" "$kind" "$ver" "$TEE_PORT"
	ok $? "$name: $kind exported the capture"

	# The tee has sent everything on once its socket is drained.
	wait_for 10 udp_drained "$TEE_PORT"
	sleep 0.3
	proc_stop "$tee" TERM 10
	is "$STOP_RC" 0 "$name: the tee stopped on SIGTERM"
	dgrams=$(sed -n 's/^datagrams=\([0-9]*\) .*/\1/p' "$dir/tee.out")
	[ -n "$dgrams" ] && [ "$dgrams" -gt 10 ]
	ok $? "$name: the tee forwarded ${dgrams:-no} datagrams"
	echo "${dgrams:-0} $TEE_PORT" >"$dir/tee.info"

	nfcapd_stop
	is "$STOP_RC" 0 "$name: nfcapd stopped on SIGTERM"
	TZ=UTC nfdump -R "$dir/nfcapd" -I >"$dir/nfdump-I.txt" 2>&1
	flows=$(sed -n 's/^Flows: //p' "$dir/nfdump-I.txt")
	[ -n "$flows" ] && [ "$flows" -gt 1000 ]
	ok $? "$name: nfdump -I counts ${flows:-no} flows"

	wait_until 20 python3 "$NFUTIL" test "$T_TMP/$name/live.out" \
	    "r['stats']['datagrams'] >= ${dgrams:-1} and r['stats']['records'] >= ${flows:-1}"
	ok $? "$name: nftop received the $dgrams datagrams, $flows records"
	proc_stop "$live" INT 10
	is "$STOP_RC" 0 "$name: nftop exits 0 on SIGINT"

	# the oracle's side
	local R=(nfdump -R "$dir/nfcapd" -q)
	TZ=UTC "${R[@]}" -o json >"$dir/records.json" 2>/dev/null
	for k in srcip dstip; do
		"${R[@]}" -o csv -s "$k/bytes" -n 0 >"$dir/$k-all.csv" 2>/dev/null
		"${R[@]}" -o csv -s "$k/bytes" -n 10 >"$dir/$k-top.csv" 2>/dev/null
	done
	"${R[@]}" -o csv -s dstip/packets -n 10 >"$dir/dstip-ptop.csv" \
	    2>/dev/null
	# -6: full IPv6 addresses in fmt: output (it shortens them otherwise)
	"${R[@]}" -N -6 -A srcip,dstip -O bytes \
	    -o 'fmt:%sa|%da|%fl|%pkt|%byt' >"$dir/pair-all.txt" 2>/dev/null
	"${R[@]}" -N -6 -A srcip,dstip -O bytes -n 10 \
	    -o 'fmt:%sa|%da|%fl|%pkt|%byt' >"$dir/pair-top.txt" 2>/dev/null
	tshark -r "$dir/tee.pcap" -d "udp.port==$TEE_PORT,cflow" -T fields \
	    -e cflow.version -e cflow.sequence -e cflow.srcaddr \
	    -e cflow.srcaddrv6 -e cflow.protocol -e cflow.packets \
	    -e cflow.octets >"$dir/tshark.txt" 2>"$dir/tshark.err"
	ok $? "$name: tshark decoded the tee's pcap"

	# nftop --read of the tee's pcap: the other aggregates
	for k in srcip:bytes dstip:bytes dstip:packets pair:bytes; do
		timeout 30 "$NFTOP" --batch --read "$dir/tee.pcap" --format json \
		    --aggregate "${k%:*}" --order "${k#*:}" --top 10 \
		    >"$dir/read-${k%:*}-${k#*:}.out" 2>"$dir/read.err" ||
		    diag "$name: nftop --read --aggregate $k failed:" \
		    "$(cat "$dir/read.err")"
	done
	timeout 30 "$NFTOP" --batch --read "$dir/tee.pcap" --format json \
	    --flows >"$dir/read-flows.out" 2>"$dir/read.err"
	ok $? "$name: nftop --read --flows of the tee's pcap"
}

# check NAME VERSION: the comparisons, one checker per exporter.
check() {
	pychecks python3 - "$T_TMP/$1" "$1" "$2" "$TRUTH" <<'PY'
import collections, csv, ipaddress, json, re, sys
from nfutil import (Checks, aggregate, cmp_top, last_json, nfdump_fmt_pairs,
                    nfdump_json, nfdump_stat_csv, top_rows, tshark_fields)

d, name, ver, truth_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    sys.argv[4]
ck = Checks()
dgrams = int(open(d + "/tee.info").read().split()[0])
proto_name = "netflow-v9" if ver == 9 else "ipfix"

# --- the oracle: nfdump -I, its records, pcapgen's truth
info = {}
for line in open(d + "/nfdump-I.txt"):
    if ":" in line:
        k, v = line.split(":", 1)
        info[k.strip()] = v.strip()
want = [int(info.get(k, -1)) for k in ("Flows", "Packets", "Bytes")]
recs = nfdump_json(d + "/records.json")
for x in recs:		# canonical address text, as nftop and ipaddress
    x["srcip"] = str(ipaddress.ip_address(x["srcip"]))
    x["dstip"] = str(ipaddress.ip_address(x["dstip"]))
ck.eq([len(recs), sum(r["packets"] for r in recs),
       sum(r["bytes"] for r in recs)], want,
      "%s: oracle: nfdump's records sum to nfdump -I's totals" % name)
truth = list(csv.DictReader(open(truth_path)))
tsum = [len(truth), sum(int(r["packets"]) for r in truth),
        sum(int(r["bytes"]) for r in truth)]
# pmacctd sometimes leaves flows unexported at the end of its savefile on
# a loaded box; that is the exporter's loss, seen identically by nfcapd
# and nftop (the tee feeds both), so it is reported, not failed.
peer_whole = tsum == want
if not peer_whole and name.startswith("pmacctd"):
    ck.skip("%s: oracle: exporter + nfcapd equal pcapgen's truth" % name,
            "pmacctd exported %r of %r this run" % (want, tsum))
else:
    ck.eq(tsum, want, "%s: oracle: exporter + nfcapd equal pcapgen's "
          "truth (IPv4 and IPv6)" % name)
log = open(d + "/nfcapd.log").read()
seqerr = [int(x) for x in re.findall(r"Sequence Errors: (\d+)", log)]
badpk = [int(x) for x in re.findall(r"Bad Packets: (\d+)", log)]
ck.ok(seqerr and not any(badpk), "%s: nfcapd reported its counts, no bad "
      "packets" % name, log[-300:])

tables = {
    "srcip": nfdump_stat_csv(d + "/srcip-all.csv")[1],
    "dstip": nfdump_stat_csv(d + "/dstip-all.csv")[1],
    "pair": nfdump_fmt_pairs(d + "/pair-all.txt")[1],
}
keyfn = {"srcip": lambda r: (r["srcip"],), "dstip": lambda r: (r["dstip"],),
         "pair": lambda r: (r["srcip"], r["dstip"])}
for k, t in tables.items():
    ck.eq(t, aggregate(recs, keyfn[k]), "%s: oracle: nfdump's %s table "
          "equals its records summed by %s" % (name, k, k))
by_proto = {k[0]: v for k, v in aggregate(recs, lambda r: (r["proto"],))
            .items()}

# --- tshark: the same datagrams, decoded by Wireshark's cflow dissector
F = ["version", "sequence", "srcaddr", "srcaddrv6", "protocol", "packets",
     "octets"]
frames = tshark_fields(d + "/tshark.txt", F)
ck.eq((len(frames), sorted({v for f in frames for v in f["version"]})),
      (dgrams, [str(ver)]), "%s: tshark: the tee's %d datagrams, all "
      "version %d" % (name, dgrams, ver))
ts_v4 = sum(len(f["srcaddr"]) for f in frames)
ts_v6 = sum(len(f["srcaddrv6"]) for f in frames)
ts_tot = [ts_v4 + ts_v6, sum(int(x) for f in frames for x in f["packets"]),
          sum(int(x) for f in frames for x in f["octets"])]
ck.eq([ts_v4, ts_v6], [sum(1 for r in recs if ":" not in r["srcip"]),
                       sum(1 for r in recs if ":" in r["srcip"])],
      "%s: tshark's IPv4 and IPv6 records = nfdump's" % name)
ts_proto = {}
aligned = all(len(f["protocol"]) == len(f["packets"]) == len(f["octets"])
              == len(f["srcaddr"]) + len(f["srcaddrv6"]) for f in frames)
ck.ok(aligned, "%s: tshark: every flow record has protocol, packets and "
      "octets (options records have none)" % name)
for f in frames:
    for p, pk, by in zip(f["protocol"], f["packets"], f["octets"]):
        c = ts_proto.setdefault(int(p), [0, 0, 0])
        c[0] += 1
        c[1] += int(pk)
        c[2] += int(by)

# Sequence numbers, replayed through the rule of RFC 7011 s3.1 for IPFIX
# (the data records sent before the message; counted here as tshark's flow
# records, options records aside, as softflowd and nftop count them) and of
# RFC 3954 for v9 (export packets): the loss and the backward jumps a
# collector must report.
lost = resets = events = own = cum = 0
nxt = None
for f in frames:
    seq = int(f["sequence"][0])
    n = len(f["srcaddr"]) + len(f["srcaddrv6"])
    cum += n
    own += seq == cum
    if nxt is not None and seq != nxt:
        events += 1
        gap = (seq - nxt) % 2**32
        if gap < 2**31:
            lost += gap
        else:
            resets += 1
    nxt = (seq + (n if ver == 10 else 1)) % 2**32
ck.diag("%s: sequence replay: lost %d, backward %d, mismatching messages "
        "%d; nfcapd Sequence Errors %s" % (name, lost, resets, events,
                                            seqerr[-1:]))
if name == "softflowd-v10":
    ck.eq(own, len(frames), "%s: softflowd's IPFIX sequence number counts "
          "the message's own records (every message)" % name)
    ck.ok(events > 0 and seqerr[-1:] == [events], "%s: nfcapd's Sequence "
          "Errors = the messages out of sequence in the replay (%d)"
          % (name, events), "nfcapd %r" % seqerr)
else:
    ck.eq([lost, resets, seqerr[-1:]], [0, 0, [0]], "%s: sequence numbers "
          "in order (replay and nfcapd)" % name)

# --- nftop, live
r = last_json(d + "/live.out")
if r is None:
    ck.ok(False, "%s: nftop printed a JSON report" % name)
    sys.exit(0)
ck.eq([r.get("aggregate"), r.get("window")], ["srcip", "all"],
      "%s: live report: aggregate srcip, window all" % name)
t = r["totals"]
tot = [t["flows"], t["packets"], t["bytes"]]
ck.eq(tot, want, "%s: totals (flows, packets, bytes) equal nfdump -I's"
      % name)
ck.eq(tot, ts_tot, "%s: totals equal tshark's sums of records, "
      "cflow.packets and cflow.octets" % name)
pr = {p["proto"]: [p["flows"], p["packets"], p["bytes"]]
      for p in r.get("protocols", [])}
ck.eq(pr, by_proto, "%s: per-protocol flows/packets/bytes equal nfdump's"
      % name)
ck.eq(pr, ts_proto, "%s: per-protocol flows/packets/bytes equal tshark's"
      % name)
ck.diag("%s: protocols %r" % (name, sorted(pr.items())))

src = [s for s in r["sources"] if s["protocol"] != "pcap"]
ck.eq([(s["exporter"], s["protocol"]) for s in src],
      [("127.0.0.1", proto_name)], "%s: one source, 127.0.0.1 %s"
      % (name, proto_name))
if src:
    s = src[0]
    ck.eq([s["datagrams"], s["records"], s["malformed"], s["dropped"],
           s["sampling"], s["templates_rejected"], s["bad_fields"],
           s["waiting"], s["waiting_expired"]],
          [dgrams, want[0], 0, 0, 1, 0, 0, 0, 0],
          "%s: source: datagrams = the tee's, records = nfdump's; "
          "malformed, dropped, rejected templates, bad fields, waiting, "
          "waiting_expired 0; sampling 1" % name)
    ck.ok(s["templates"] > 0, "%s: source: templates learnt (%d)"
          % (name, s["templates"]))
    ck.eq([s["lost"], s["seq_resets"]], [lost, resets],
          "%s: source: lost and seq_resets = the sequence replay's "
          "(%d, %d)" % (name, lost, resets))
    if name != "softflowd-v10":
        ck.eq([s["lost"], s["seq_resets"]], [0, 0],
              "%s: source: nothing lost" % name)
    ck.diag("%s: source %r" % (name, {k: v for k, v in s.items()
                                      if k != "malformed_by"}))
st = r["stats"]
ck.eq([st["datagrams"], st["decoded"], st["malformed"], st["unsupported"],
       st.get("kernel_drops", 0)], [dgrams, dgrams, 0, 0, 0],
      "%s: stats: every datagram decoded, none malformed, unsupported or "
      "dropped by the kernel" % name)
cmp_top(ck, name + " srcip", top_rows(r, ["srcip"]), tables["srcip"],
        nfdump_stat_csv(d + "/srcip-top.csv")[0])

# --- nftop --read of the tee's pcap: the same as live, other aggregates
def strip(rep):
    top = [{k: v for k, v in x.items() if k not in ("bps", "pps")}
           for x in rep.get("top", [])]
    srcs = [{k: v for k, v in s.items() if k != "port"}
            for s in rep["sources"] if s["protocol"] != "pcap"]
    return [rep["totals"], rep.get("protocols"), top, srcs]

rd = last_json(d + "/read-srcip-bytes.out")
if ck.ok(rd is not None, "%s: nftop --read printed a report" % name):
    ck.eq(strip(rd), strip(r), "%s: --read of the tee's pcap = live: "
          "totals, protocols, top 10, source counters" % name)
    meter = [s for s in rd["sources"] if s["protocol"] == "pcap"]
    ck.eq([s["records"] for s in meter], [0] * len(meter),
          "%s: --read: no packet of the tee's pcap was metered" % name)
for agg, order, fields, table, otop in (
        ("dstip", "bytes", ["dstip"], tables["dstip"], "dstip-top.csv"),
        ("dstip", "packets", ["dstip"], tables["dstip"], "dstip-ptop.csv"),
        ("pair", "bytes", ["srcip", "dstip"], tables["pair"],
         "pair-top.txt")):
    rr = last_json("%s/read-%s-%s.out" % (d, agg, order))
    label = "%s --read %s/%s" % (name, agg, order)
    if not ck.ok(rr is not None, "%s: a report" % label):
        continue
    ck.eq([rr["totals"][k] for k in ("flows", "packets", "bytes")], want,
          "%s: totals equal nfdump -I's" % label)
    top = (nfdump_fmt_pairs if agg == "pair" else nfdump_stat_csv)(
        d + "/" + otop)[0]
    cmp_top(ck, label, top_rows(rr, fields), table, top, 10, order)

# --- record by record: nftop's decode (--read --flows) = nfdump's
def ip(a):
    return str(ipaddress.ip_address(a))

def rkey(x):		# 5-tuple; nfdump has no ports for ICMP
    l4 = x["proto"] in (6, 17)
    return (ip(x["srcip"]), ip(x["dstip"]), x["srcport"] if l4 else 0,
            x["dstport"] if l4 else 0, x["proto"])

# pmacctd's times are exact (flowStart/EndMilliseconds, 152/153, also in
# its v9); softflowd -r's are invented (see the top), so not compared.
cols = ["packets", "bytes", "tcpflags", "tos"]
if name.startswith("pmacctd"):
    cols += ["first", "last"]

flows = [json.loads(l) for l in open(d + "/read-flows.out") if l.strip()]
ck.eq(len(flows), want[0], "%s: --read --flows printed every record"
      % name)
mine = collections.Counter(tuple([rkey(x)] + [x[c] for c in cols])
                           for x in flows)
theirs = collections.Counter(tuple([rkey(x)] + [x[c] for c in cols])
                             for x in recs)
ck.ok(mine == theirs, "%s: every record's 5-tuple, %s equal nfdump's"
      % (name, "/".join(cols)), "nftop only %r; nfdump only %r"
      % (sorted(mine - theirs)[:3], sorted(theirs - mine)[:3]))
if name.startswith("pmacctd"):
    # nfprobe (softflowd 0.9.7's code) keeps one flow for both directions:
    # each direction's record carries the first/last of the two together.
    tk = {(ip(x["src"]), ip(x["dst"]), int(x["sport"]), int(x["dport"]),
           int(x["proto"])): x for x in truth}
    bad = []
    for x in flows:
        k = (ip(x["srcip"]), ip(x["dstip"]), x["srcport"], x["dstport"],
             x["proto"])
        both = [tk.get(k), tk.get((k[1], k[0], k[3], k[2], k[4]))
                if k[4] in (6, 17) else None]
        both = [t for t in both if t is not None]
        exp = [min(int(t["first_us"]) for t in both) // 1000,
               max(int(t["last_us"]) for t in both) // 1000] if both \
            else None
        if [x["first"], x["last"]] != exp:
            bad.append((k, [x["first"], x["last"]], exp))
    if not peer_whole:
        ck.skip("%s: every record's first/last equal pcapgen's" % name,
                "the exporter did not send every flow this run")
    else:
        ck.ok(not bad, "%s: every record's first/last equal pcapgen's (ms; "
          "both directions' span)" % name, "%d differ: %r" % (len(bad),
                                                            bad[:3]))

# --- ICMP type/code, record by record, against pcapgen's truth (its ICMP
# "dport" is type << 8 | code)
want_icmp = collections.Counter(
    (ip(x["src"]), ip(x["dst"]), int(x["proto"]), int(x["dport"]) >> 8,
     int(x["dport"]) & 255) for x in truth if x["proto"] in ("1", "58"))
got = collections.Counter(
    (ip(x["srcip"]), ip(x["dstip"]), x["proto"], x["icmp_type"],
     x["icmp_code"]) for x in flows if x["proto"] in (1, 58))
ck.eq(got, want_icmp, "%s: nftop's ICMP/ICMPv6 type and code equal "
      "pcapgen's, every record (%d)" % (name, sum(want_icmp.values())))
nfd = collections.Counter(
    (ip(x["srcip"]), ip(x["dstip"]), x["proto"], x["icmp_type"],
     x["icmp_code"]) for x in recs if x["proto"] in (1, 58))
diff = nfd - want_icmp
quirk = collections.Counter({k: n for k, n in diff.items()
                             if ver == 9 and k[3:] == (0, 0)})
rest = diff - quirk
ck.ok(not rest and sum(nfd.values()) == sum(want_icmp.values()),
      "%s: nfdump's ICMP type/code equal pcapgen's, but for its v9 0/0 "
      "quirk" % name, "differing %r" % sorted(rest)[:5])
if quirk:
    per = collections.Counter()
    for k, n in quirk.items():
        per["ICMPv6" if k[2] == 58 else "ICMP"] += n
    ck.diag("%s: nfdump shows type/code 0/0 for %s records (it reads v9 "
            "field 32 only; nftop is right)" % (name, dict(per)))
PY
}

run softflowd-v9 softflowd 9
check softflowd-v9 9
run softflowd-v10 softflowd 10
check softflowd-v10 10
run pmacctd-v9 pmacctd 9
check pmacctd-v9 9
run pmacctd-v10 pmacctd 10
check pmacctd-v10 10

end_testing
