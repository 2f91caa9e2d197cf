#!/bin/sh
# tests/tui/estimates.t - the screen says when rows are estimates.
#
# flowblast writes 20,000 NetFlow v5 records from 5,000 source hosts to a
# pcap.  nftop reads it in a 200x40 pane (the status line must hold the file name) with room for 100 keys only
# (--max-keys 100): past that the key table is a Space-Saving summary
# (src/agg.h), so rows whose counts are upper bounds carry a "~" before
# their bytes, packets and flows, and the status line gives the bound
# ("~ others <= N bytes") and how many new keys found the table full.
# The first row is the same key as `nftop --batch --read` ranks first
# (the heaviest host is far above the bound).  With room for every key,
# the same file shows neither.

. "$(dirname "$0")/lib-tui.sh"

plan 9

"$FLOWBLAST" -q -f v5 -s 5 -S 1700000000 -F 20000 -H 5000 -n 20000 \
    -r 20000 -w "$T_TMP/est.pcap" >/dev/null
ok $? "flowblast wrote the pcap"

"$NFTOP" --batch --read "$T_TMP/est.pcap" --aggregate srcip --top 1 \
    --format json --max-keys 100 >"$T_TMP/est.json" 2>"$T_TMP/est.err"
top1=$(json_get "$T_TMP/est.json" 'r["top"][0]["key"]["srcip"]')
capped=$(json_get "$T_TMP/est.json" 'r["stats"]["keys_capped"]')
diag "batch: first $top1, $capped keys capped"

start est 200 40 LC_ALL=C -- --read "$T_TMP/est.pcap" --aggregate srcip \
    --max-keys 100
wait_screen 20 est " read "
ok $? "the file is read"
settle est
# Row 1 (after the column names): its key, then "~" before its counts.
row1=$(screen est | awk 'cols && $1 == "1" { print; exit }
    $1 == "#" { cols = 1 }')
is "$(echo "$row1" | awk '{ print $2 }')" "$top1" \
    "row 1 is the batch run's first key"
screen est | awk 'cols && $1 ~ /^[0-9]+$/ { print }
    $1 == "#" { cols = 1 }' | grep -q ' ~[0-9]'
ok $? "rows that are estimates show ~ before their counts"
has est "~ others <= "
ok $? "the status line gives the bound"
has est " keys capped"
ok $? "the status line counts the keys that found the table full"
quit_ok est "estimates"

start exact 200 40 LC_ALL=C -- --read "$T_TMP/est.pcap" --aggregate srcip
wait_screen 20 exact " read "
settle exact
hasnt exact "others <=" && ! screen exact | grep -q ' ~[0-9]'
ok $? "with room for every key: no ~ and no bound"
TM kill-server >/dev/null 2>&1
