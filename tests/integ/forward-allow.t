#!/bin/sh
# The tee and the allow-list.  One nftop forwards every datagram to a
# second (--forward): both see every datagram and the same totals, and
# the forwarder counts what it sent.  An nftop that allows only 10/8
# denies flowblast's loopback exports before creating any state.
. "$(dirname "$0")/../lib.sh"
plan 6

port_of() { sed -n 's/.*udp 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$1" | head -1; }
last() { json_get "$1" "$2"; }

spawn "$NFTOP" --batch --listen 127.0.0.1:0 --format json --interval 1 \
    --window all >"$T_TMP/b.json" 2>"$T_TMP/b.err"
pb=$SPAWNED
wait_for 5 grep -q listening "$T_TMP/b.err"
spawn "$NFTOP" --batch --listen 127.0.0.1:0 --format json --interval 1 \
    --window all --forward "127.0.0.1:$(port_of "$T_TMP/b.err")" \
    --allow 127.0.0.0/8 >"$T_TMP/a.json" 2>"$T_TMP/a.err"
pa=$SPAWNED
wait_for 5 grep -q listening "$T_TMP/a.err"
spawn "$NFTOP" --batch --listen 127.0.0.1:0 --format json --interval 1 \
    --window all --allow 10.0.0.0/8 >"$T_TMP/c.json" 2>"$T_TMP/c.err"
pc=$SPAWNED
wait_for 5 grep -q listening "$T_TMP/c.err"

out=$("$FLOWBLAST" -f v9 -n 30000 -r 100k -s 4 -q \
    -d "127.0.0.1:$(port_of "$T_TMP/a.err")")
"$FLOWBLAST" -f v5 -n 3000 -r 100k -s 4 -q \
    -d "127.0.0.1:$(port_of "$T_TMP/c.err")" >/dev/null
dgrams=$(echo "$out" | sed -n 's/.* datagrams=\([0-9]*\).*/\1/p')
sleep 2
kill -INT "$pa" "$pb" "$pc"
wait "$pa" "$pb" "$pc" 2>/dev/null

is "$(last "$T_TMP/a.json" 'r["stats"]["forward"][0]["sent"]')" "$dgrams" \
    "the forwarder sent every datagram"
is "$(last "$T_TMP/b.json" 'r["stats"]["datagrams"]')" "$dgrams" \
    "the second collector received every datagram"
is "$(last "$T_TMP/b.json" 'r["totals"]')" \
    "$(last "$T_TMP/a.json" 'r["totals"]')" "and has the same totals"
is "$(last "$T_TMP/a.json" 'r["totals"]["flows"]')" 30000 \
    "the forwarder decoded every record itself"
is "$(last "$T_TMP/c.json" 'r["stats"]["denied"] == r["stats"]["datagrams"] == r["stats"]["denied_allow"] > 0')" \
    True "exports from outside --allow are denied"
is "$(last "$T_TMP/c.json" 'len(r["sources"])')" 0 \
    "and create no exporter entry"
done_testing
