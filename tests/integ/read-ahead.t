#!/bin/bash
# read-ahead.t - a long walk over the history does not cost datagrams.
#
# nftop keeps 1 M records and prints a burst-mode report every second:
# each report walks every retained record (tens of milliseconds), while
# flowblast keeps sending 200 k records/s into a socket buffer of 64 KiB,
# which holds a few milliseconds of them.  Without reading ahead during
# the walk (backlog.h) every report overflows it; with it, nftop must
# count every record flowblast sent, with no kernel drop, no sequence
# loss, and stats.read_ahead saying how many datagrams waited.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need python3
need_tools "$FLOWBLAST"

N=1200000
nftop_start walk --listen 127.0.0.1:0 --rcvbuf 65536 --history 1000000 \
    --window all --burst --aggregate srcip --format json --interval 1
ok $? "nftop listens with a 64 KiB receive buffer (port $NFTOP_PORT)"
# As asked, not Linux's doubled figure (socket(7)).
grep -q "(receive buffer 65536 bytes)" "$T_TMP/walk.err"
ok $? "... and says it got 65536 bytes:\
 $(grep -o 'receive buffer [0-9]* bytes' "$T_TMP/walk.err")"
pid=$NFTOP_PID
"$FLOWBLAST" -f v5 -n "$N" -r 200k -s 7 -S 1700000000 -T 60 -q \
    -d "127.0.0.1:$NFTOP_PORT" >"$T_TMP/walk.blast" 2>&1
ok $? "flowblast sent $N records at 200 k/s"
wait_records walk "$N" 20
proc_stop "$pid" INT 10
is "$STOP_RC" 0 "nftop exits 0 on SIGINT"

pychecks python3 - "$T_TMP" "$N" <<'PY'
import json, re, sys
from nfutil import Checks, last_json

tmp, n = sys.argv[1], int(sys.argv[2])
ck = Checks()
sent = {k: int(v) for k, v in
        re.findall(r"(\w+)=(\d+)\b", open(tmp + "/walk.blast").read())}
reports = [json.loads(l) for l in open(tmp + "/walk.out") if l.startswith("{")]
r = last_json(tmp + "/walk.out")
ck.ok(r is not None, "nftop printed reports")
if r is not None:
    st, src = r["stats"], r["sources"]
    ck.ok(len(reports) >= 4, "reports came while the records did",
          len(reports))
    ck.eq([st["records"], st["datagrams"]], [n, sent.get("datagrams")],
          "every record and datagram flowblast sent was counted")
    ck.eq([st["kernel_drops"], sum(s["lost"] for s in src),
           st["malformed"]], [0, 0, 0],
          "no kernel drop, no sequence loss, nothing malformed")
    ck.ok(st.get("read_ahead", 0) > 0 and st.get("read_ahead_peak", 0) > 0,
          "datagrams were read ahead during the walks",
          [st.get("read_ahead"), st.get("read_ahead_peak")])
    ck.eq(st["retained"], 1000000, "the history held its 1 M records")
PY

end_testing