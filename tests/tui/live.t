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
# Every wait is bounded; nothing leaves 127.0.0.1.

. "$(dirname "$0")/lib-tui.sh"

plan 14

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
