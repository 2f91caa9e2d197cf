#!/bin/sh
# IPFIX over TCP: flowblast's IPFIX messages, written to a pcap, are sent
# as one TCP stream cut at random byte boundaries (1..3000 bytes a write)
# to `nftop --listen tcp:...`; the totals equal those of reading the same
# messages from the pcap, with no loss and no malformed message.  A second
# connection that sends a bad message length is closed without harming
# the first exporter's numbers.
. "$(dirname "$0")/../lib.sh"
need python3
plan 6

pcap=$T_TMP/ipfix.pcap
"$FLOWBLAST" -f ipfix -n 20000 -s 11 -S 1700000000 -E 2 -w "$pcap" -q \
    >/dev/null || exit 1
"$NFTOP" --batch --read "$pcap" --format json >"$T_TMP/read.json"

spawn "$NFTOP" --batch --listen tcp:127.0.0.1:0 --format json \
    --interval 1 --window all >"$T_TMP/live.json" 2>"$T_TMP/live.err"
pid=$SPAWNED
wait_for 5 grep -q 'listening on tcp' "$T_TMP/live.err"
port=$(sed -n 's/.*tcp 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T_TMP/live.err")

python3 - "$pcap" "$port" <<'PY'
import random, socket, struct, sys
random.seed(7)
d = open(sys.argv[1], 'rb').read()
off, msgs = 24, []
while off < len(d):
    _, _, cl, _ = struct.unpack('<IIII', d[off:off + 16])
    pkt = d[off + 16:off + 16 + cl]
    off += 16 + cl
    ihl = (pkt[14] & 15) * 4
    msgs.append(pkt[14 + ihl + 8:])
stream = b''.join(msgs)
s = socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=10)
i = 0
while i < len(stream):
    n = random.randint(1, 3000)
    s.sendall(stream[i:i + n])
    i += n
# A second exporter connection that breaks the framing.
b = socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=10)
b.sendall(struct.pack('>HHIII', 10, 3, 0, 0, 0))
s.close()
b.close()
PY

want=$(json_get "$T_TMP/read.json" 'r["totals"]["flows"]')
wait_for 10 sh -c "[ \"\$(python3 -c 'import json;print(json.loads(open(\"$T_TMP/live.json\").read().splitlines()[-1])[\"totals\"][\"flows\"])' 2>/dev/null)\" = $want ]"
kill -INT "$pid"
wait "$pid" 2>/dev/null

is "$(json_get "$T_TMP/live.json" 'r["totals"]')" \
    "$(json_get "$T_TMP/read.json" 'r["totals"]')" \
    "TCP stream totals equal the pcap's"
is "$(json_get "$T_TMP/live.json" '[t["key"] for t in r["top"]]')" \
    "$(json_get "$T_TMP/read.json" '[t["key"] for t in r["top"]]')" \
    "same top-10 keys"
is "$(json_get "$T_TMP/live.json" 'sum(s["lost"] + s["malformed"] for s in r["sources"])')" \
    0 "no loss, nothing malformed"
is "$(json_get "$T_TMP/live.json" 'len([s for s in r["sources"] if s["protocol"] == "ipfix"])')" \
    2 "two observation domains"
is "$(json_get "$T_TMP/live.json" 'r["stats"]["malformed"]')" 0 \
    "the broken connection was dropped, not decoded"
is "$want" 20000 "the pcap holds every record"
done_testing
