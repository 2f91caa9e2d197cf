#!/bin/bash
# v5-malformed.t - crafted NetFlow v5 datagrams, good and bad, sent over
# loopback to a live nftop, then the same datagrams in a pcap to --read.
#
# From 127.0.0.1, engine 0 (source A), in this order:
#   good    seq 0, 30 records             good    seq 30, 30 records
#   gap     seq 160, 30 records: 100 records never came -> lost 100
#   short_header     10 bytes of a v5 header
#   short_records    count 30 but only 2 records' bytes
#   zero count       seq 190, count 0: a valid, empty export (nftop's rule,
#                    as nfcapd's: not malformed, moves nothing)
#   count_too_large  count 31 with 31 records' bytes (v5 allows 30)
#   good    seq 190, 30 records (no loss: nothing moved the sequence)
#   trailing         seq 220, 1 record and 10 bytes after it: decoded,
#                    the datagram counted as "trailing"
# From 127.0.0.1, engine 5 (source A5): sequence wrap-around,
#   seq 2^32-10 with 30 records, then seq 20 with 30 records: no loss.
# From 127.0.0.1: a datagram of version 3 and a 1-byte datagram: counted
#   on sources with protocol "unknown" (domain = the version, 0 for the
#   1-byte one), no records.
# From 127.0.0.2 (source B, its own socket): two good datagrams, seq 0
#   and 30: its numbers must be untouched by everything above.
#
# Each bad datagram counts as malformed on its source, with its reason in
# malformed_by; nftop keeps running and exits 0; every received datagram
# has exactly one outcome (stats: datagrams = decoded + malformed +
# unsupported + denied); totals are the good records' sums.  The --read
# run of the same datagrams must give the same counters for the good
# datagrams, and account for each bad one exactly once (in a capture, a
# payload that does not look like an export is metered as traffic).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need python3

python3 - "$T_TMP" <<'PY'
import json, struct, sys
from nfutil import nf5_datagram, nf5_default_record, pcap_write, udp_frame
tmp = sys.argv[1]


def recs(n, base):
    return [dict(nf5_default_record(i), packets=base + i + 1,
                 bytes=(base + i + 1) * 60) for i in range(n)]


A, B = "127.0.0.1", "127.0.0.2"
plan = []            # (source address, payload, what)
plan.append((A, nf5_datagram(30, recs(30, 0), seq=0), "good"))
plan.append((B, nf5_datagram(30, recs(30, 1000), seq=0), "good B"))
plan.append((A, nf5_datagram(30, recs(30, 30), seq=30), "good"))
plan.append((A, nf5_datagram(30, recs(30, 60), seq=160), "gap 100"))
plan.append((A, nf5_datagram(1, recs(1, 0), seq=190)[:10], "short_header"))
plan.append((A, nf5_datagram(30, recs(2, 0), seq=190), "short_records"))
plan.append((A, nf5_datagram(0, [], seq=190), "zero count"))
plan.append((A, nf5_datagram(31, recs(31, 0), seq=190), "count_too_large"))
plan.append((B, nf5_datagram(30, recs(30, 2000), seq=30), "good B"))
plan.append((A, nf5_datagram(30, recs(30, 90), seq=190), "good"))
plan.append((A, nf5_datagram(1, recs(1, 120), seq=220) + b"\0" * 10,
             "trailing"))
plan.append((A, nf5_datagram(30, recs(30, 200), seq=2**32 - 10,
                             engine_id=5), "wrap"))
plan.append((A, nf5_datagram(30, recs(30, 300), seq=20, engine_id=5),
             "wrap"))
plan.append((A, nf5_datagram(2, recs(2, 0), version=3), "version 3"))
plan.append((A, b"\x05", "1 byte"))

good = [p for _, p, w in plan if w in ("good", "good B", "gap 100",
                                         "trailing", "wrap")]
tot = [0, 0, 0]
for p in good:
    n = struct.unpack(">H", p[2:4])[0]
    for i in range(n):
        r = p[24 + 48 * i:72 + 48 * i]
        pk, by = struct.unpack(">II", r[16:24])
        tot[0] += 1
        tot[1] += pk
        tot[2] += by
json.dump({"plan": [(a, p.hex(), w) for a, p, w in plan], "totals": tot},
          open(tmp + "/plan.json", "w"))
# The same datagrams as a capture, each from its own source address.
frames = [(1700000000 + i * 0.001, udp_frame(p, src=a, sport=40000, ident=i))
          for i, (a, p, w) in enumerate(plan)]
pcap_write(tmp + "/crafted.pcap", frames)
PY
ok $? "crafted the datagrams"

nftop_start live --listen 127.0.0.1:0 --format json --interval 1 \
    --window all
ok $? "nftop listens (port $NFTOP_PORT)"
LIVE_PID=$NFTOP_PID

python3 - "$T_TMP" "$NFTOP_PORT" <<'PY'
import json, socket, sys, time
tmp, port = sys.argv[1], int(sys.argv[2])
socks = {}
for addr, hexp, what in json.load(open(tmp + "/plan.json"))["plan"]:
    s = socks.get(addr)
    if s is None:
        s = socks[addr] = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((addr, 0))
    s.sendto(bytes.fromhex(hexp), ("127.0.0.1", port))
    time.sleep(0.005)
PY
ok $? "sent the datagrams from 127.0.0.1 and 127.0.0.2"

NDGRAMS=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["plan"]))' \
    "$T_TMP/plan.json")
wait_for 15 python3 "$NFUTIL" test "$T_TMP/live.out" \
    "r['stats']['datagrams'] >= $NDGRAMS"
ok $? "nftop received all $NDGRAMS datagrams"
alive "$LIVE_PID"
ok $? "nftop is still running"
proc_stop "$LIVE_PID" INT 10
is "$STOP_RC" 0 "nftop exits 0 on SIGINT"

timeout 30 "$NFTOP" --batch --read "$T_TMP/crafted.pcap" --format json \
    >"$T_TMP/read.out" 2>"$T_TMP/read.err"
is "$?" 0 "nftop --read of the same datagrams exits 0"

pychecks python3 - "$T_TMP" <<'PY'
import json, sys
from nfutil import Checks, last_json

tmp = sys.argv[1]
ck = Checks()
plan = json.load(open(tmp + "/plan.json"))
ndg = len(plan["plan"])
V5_REASONS = ("short_header", "count_too_large", "short_records")


def by_key(r):
    return {(s["exporter"], s["protocol"], s.get("domain")): s
            for s in r["sources"]}


def counters(s):
    return {k: s.get(k) for k in ("datagrams", "records", "lost",
                                  "malformed", "dropped", "seq_resets",
                                  "trailing")}


def check_live(r):
    run = "live"
    src = by_key(r)
    ck.eq(sorted(src), sorted([("127.0.0.1", "netflow-v5", 0),
                               ("127.0.0.1", "netflow-v5", 5),
                               ("127.0.0.1", "unknown", 3),
                               ("127.0.0.1", "unknown", 0),
                               ("127.0.0.2", "netflow-v5", 0)]),
          "%s: sources: A (engine 0), A (engine 5), two unknown-protocol "
          "sources, B" % run)
    a = src.get(("127.0.0.1", "netflow-v5", 0), {})
    ck.eq(counters(a), {"datagrams": 9, "records": 121, "lost": 100,
                        "malformed": 3, "dropped": 0, "seq_resets": 0,
                        "trailing": 1},
          "%s: A: 9 datagrams, 121 records, lost 100 (the gap), 3 "
          "malformed, 1 with trailing bytes" % run)
    mb = a.get("malformed_by", {})
    ck.eq({k: mb.get(k) for k in V5_REASONS},
          {"short_header": 1, "count_too_large": 1, "short_records": 1},
          "%s: A: malformed_by short_header 1, count_too_large 1, "
          "short_records 1" % run)
    ck.eq(sum(v for k, v in mb.items() if k not in V5_REASONS), 0,
          "%s: A: no other malformed reason" % run)
    ck.ok("zero_count" not in mb or mb["zero_count"] == 0,
          "%s: A: count 0 is not malformed" % run, mb)
    a5 = src.get(("127.0.0.1", "netflow-v5", 5), {})
    ck.eq(counters(a5), {"datagrams": 2, "records": 60, "lost": 0,
                         "malformed": 0, "dropped": 0, "seq_resets": 0,
                         "trailing": 0},
          "%s: A engine 5: 2^32-10 -> 20 wraps without loss" % run)
    for dom, what in ((3, "version 3"), (0, "1-byte datagram")):
        u = src.get(("127.0.0.1", "unknown", dom), {})
        ck.eq([u.get("datagrams"), u.get("records"), u.get("lost")],
              [1, 0, 0], "%s: %s counted on an unknown-protocol source, "
              "no records" % (run, what))
    b = src.get(("127.0.0.2", "netflow-v5", 0), {})
    ck.eq(counters(b), {"datagrams": 2, "records": 60, "lost": 0,
                        "malformed": 0, "dropped": 0, "seq_resets": 0,
                        "trailing": 0},
          "%s: B (127.0.0.2) is unaffected: 2 datagrams, 60 records, "
          "nothing lost or malformed" % run)
    st = r.get("stats", {})
    ck.eq(st.get("datagrams"), ndg, "%s: stats: %d datagrams" % (run, ndg))
    ck.eq(st.get("datagrams"), sum(st.get(k, 0) for k in
                                   ("decoded", "malformed", "unsupported",
                                    "denied")),
          "%s: stats: every datagram has one outcome" % run)
    ck.eq([st.get("decoded"), st.get("malformed"), st.get("unsupported"),
           st.get("denied")], [10, 3, 2, 0],
          "%s: stats: 10 decoded, 3 malformed, 2 unsupported" % run)
    ck.eq(sum(s["datagrams"] for s in r["sources"]), ndg,
          "%s: the sources' datagrams add up to all received" % run)
    t = r["totals"]
    ck.eq([t["flows"], t["packets"], t["bytes"]], plan["totals"],
          "%s: totals are the good records' sums" % run)


def check_read(r, live):
    """--read of the same datagrams.  In a capture, a UDP payload that does
    not look like an export is ordinary traffic for nftop's packet meter,
    so each bad datagram is either counted as malformed/unsupported or
    metered, never both, never lost; the good ones give the live counters."""
    run = "read"
    src = {k: v for k, v in by_key(r).items() if k[1] != "pcap"}
    lsrc = by_key(live) if live else {}
    for key in (("127.0.0.1", "netflow-v5", 5),
                ("127.0.0.2", "netflow-v5", 0)):
        ck.eq(counters(src.get(key, {})), counters(lsrc.get(key, {})),
              "%s: source %s engine %d has the live counters" %
              (run, key[0], key[2]))
    key = ("127.0.0.1", "netflow-v5", 0)
    pick = ("records", "lost", "seq_resets", "trailing")
    ck.eq([src.get(key, {}).get(k) for k in pick],
          [lsrc.get(key, {}).get(k) for k in pick],
          "%s: A: records, lost, seq_resets, trailing as live" % run)
    st = r.get("stats", {})
    metered = r.get("meter", {}).get("packets", 0)
    ck.eq(st.get("datagrams", 0) + metered, ndg,
          "%s: every frame is an export datagram or metered traffic "
          "(%d + %d)" % (run, st.get("datagrams", 0), metered))
    bad = sum(s["malformed"] for s in src.values()) + \
        sum(s["datagrams"] for k, s in src.items() if k[1] == "unknown")
    ck.eq(bad + metered, 5, "%s: the 5 bad datagrams are each counted as "
          "malformed/unknown or metered (%d + %d)" % (run, bad, metered))
    ck.eq(sum(s["records"] for k, s in src.items() if k[1] == "netflow-v5"),
          plan["totals"][0], "%s: the v5 sources hold the good records"
          % run)


live = last_json(tmp + "/live.out")
if live is None:
    ck.ok(False, "live: nftop printed a JSON report")
else:
    check_live(live)
rd = last_json(tmp + "/read.out")
if rd is None:
    ck.ok(False, "read: nftop printed a JSON report")
else:
    check_read(rd, live)
PY

end_testing
