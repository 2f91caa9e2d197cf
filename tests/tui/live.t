#!/bin/sh
# tests/tui/live.t - a live screen: redraws, pause and freeze while
# records keep arriving.
#
# nftop listens on a loopback port with NFTOP_FRAME_LOG set (a line per
# drawn frame); flowblast sends it NetFlow v5 in three bounded bursts.
#   - Nothing to show, nothing changes: no frame is drawn; with records,
#     at most one frame a tick; a file fully read: no frame at all.
#   - o freezes the order: new records move counts, not rows; o again
#     sorts them.
#   - p pauses the screen while collection goes on (the status line
#     counts the new records); p again catches up with all of them.
#   - a cursor nobody moved stays on the first row as the ranks change.
# Every wait is bounded; nothing leaves 127.0.0.1.

. "$(dirname "$0")/lib-tui.sh"

plan 16

PORT=$(free_udp_port)
FRAMES="$T_TMP/frames"
: >"$FRAMES"
frames() { wc -l <"$FRAMES"; }
totals() { screen "$1" | sed -nE 's/^ *([^ ]+) flows +([^ ]+) packets +'\
'([^ ]+) bytes.*/\1 \2 \3/p' | head -1; }
rows() { screen "$1" | awk '$1 == "#" { c = 1; next } c && $1 ~ /^[1-5]$/ {
    printf "%s ", $2 }'; }
# blast SEED N: N records to the listener, paced and bounded.
blast() {
	"$FLOWBLAST" -q -f v5 -s "$1" -n "$2" -r 20000 -T 20 -H 50 \
	    -d "127.0.0.1:$PORT" | sed -nE 's/.*records=([0-9]+).*/\1/p'
}

start l 120 35 LC_ALL=C NO_COLOR=1 NFTOP_FRAME_LOG="$FRAMES" -- \
    --listen "127.0.0.1:$PORT" --window all
wait_screen 10 l "waiting for flow records"
keys l u
wait_screen 5 l "exact numbers"
settle l
F0=$(frames)
sleep 3
is "$(frames)" "$F0" "no records: no frame drawn in 3 s"

N1=$(blast 2 1500)
wait_screen 10 l "$N1 flows"
ok $? "a first burst arrives ($N1 records)"
sleep 1
F1=$(frames)
sleep 4
F2=$(frames)
[ $((F2 - F1)) -le 5 ]
ok $? "with records: at most a frame a tick ($((F2 - F1)) in 4 s)"

# --- freeze.
ROWS=$(rows l)
keys l o
wait_screen 5 l "frozen"
ok $? "o freezes the order"
N2=$(blast 7 1500)
wait_screen 10 l "$((N1 + N2)) flows"
ok $? "a second burst is counted"
is "$(rows l)" "$ROWS" "frozen: the same keys in the same places"
keys l o
wait_for 5 hasnt l "frozen"
screen l | awk '$1 == "#" { c = 1; next } c && $1 ~ /^[0-9]+$/ { print $3 }' \
    | head -20 >"$T_TMP/bytes"
sort -rn "$T_TMP/bytes" | cmp -s - "$T_TMP/bytes"
ok $? "o again: rows ordered by bytes"
[ "$(rows l)" != "$ROWS" ] ||
    diag "the second burst did not change the order; freeze unseen"

# --- pause.
keys l p
wait_screen 5 l "PAUSED"
ok $? "p pauses"
BEFORE=$(totals l)
N3=$(blast 9 500)
wait_screen 10 l "retained $((N1 + N2 + N3)) records"
ok $? "the status line keeps counting ($N3 more records)"
is "$(totals l)" "$BEFORE" "the table and totals hold still"
keys l p
wait_screen 10 l "$((N1 + N2 + N3)) flows"
ok $? "p again catches up with every record"

# --- an unmoved cursor stays on the first row: 10.200.0.1 tops the table,
# then 60 bigger talkers pass it; the first ranks stay in view (a cursor
# that followed 10.200.0.1 down to rank 61 scrolled them away).
# send_v5 FIRST COUNT RECORDS: COUNT hosts from 10.200.0.FIRST, RECORDS
# records of 4e9 bytes each.
send_v5() {
	PYTHONPATH="$(dirname "$0")/../integ" python3 - "$PORT" "$@" <<'PY'
import socket, sys
from nfutil import nf5_datagram
port, first, count, each = (int(x) for x in sys.argv[1:])
recs = [dict(srcip="10.200.0.%d" % (first + h), dstip="192.0.2.1",
             packets=1, bytes=4000000000) for h in range(count)
        for _ in range(each)]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(0, len(recs), 30):
    s.sendto(nf5_datagram(len(recs[i:i + 30]), recs[i:i + 30]),
             ("127.0.0.1", port))
PY
}
keys l Home
send_v5 1 1 3
first_row() { [ "$(rows l | cut -d' ' -f1)" = "$1" ]; }
wait_for 10 first_row 10.200.0.1
ok $? "10.200.0.1 tops the table, the cursor on it"
send_v5 2 60 4
wait_screen 10 l "$((N1 + N2 + N3 + 243)) flows"
is "$(rows l | cut -d' ' -f1)" "10.200.0.2" \
    "60 bigger talkers later, the first row is still in view, theirs"
quit_ok l "live"

# --- a file read to its end: nothing moves, nothing is drawn.
make_pcap
: >"$FRAMES"
start r 120 35 LC_ALL=C NFTOP_FRAME_LOG="$FRAMES" -- --read "$FB_PCAP"
wait_screen 10 r "3.00K flows"
settle r
F0=$(frames)
sleep 3
is "$(frames)" "$F0" "a file read to its end: no frame in 3 s"
keys r q

done_testing
