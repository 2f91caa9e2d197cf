#!/bin/bash
# history.t - the history cursor: a report of the window ending at a past
# moment (--at) equals a report of the same file cut at that moment.
#
# flowblast writes 60 s of NetFlow v5 exports (100 records/s).  For a time
# T inside it, the file is cut after the last datagram received at or
# before T (in ms, as nftop reads frame times).  Then for several windows
# and aggregates, `nftop --read FULL --at T` must print the same totals,
# top table, protocols and channels as `nftop --read CUT`, whose clock
# stops at T by itself.  The cut report is counted live as records arrive
# and age out; the --at report is recomputed from the retained history by
# the cursor, so the two paths are independent.  Also: --at -DUR counts
# back from the end of the file, bad --at values are refused, and a time
# outside the file is warned of.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need python3
need_tools "$FLOWBLAST"

FULL=$T_TMP/full.pcap
"$FLOWBLAST" -f v5 -n 6000 -r 100 -s 99 -S 1764000000 -F 3000 -H 200 \
    -w "$FULL" -q >/dev/null
ok $? "flowblast wrote 60 s of exports"

# cut FULL OUT FRACTION: OUT holds the frames up to the one at FRACTION of
# the file; prints that frame's time in ms.
cut_pcap() {
	python3 - "$@" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
frames, off = [], 24
while off + 16 <= len(data):
    sec, usec, incl, orig = struct.unpack("<IIII", data[off:off + 16])
    frames.append((sec * 1000 + usec // 1000, data[off:off + 16 + incl]))
    off += 16 + incl
t = frames[int(len(frames) * float(sys.argv[3]))][0]
with open(sys.argv[2], "wb") as f:
    f.write(data[:24])
    for ms, fr in frames:
        if ms <= t:
            f.write(fr)
print(t)
PY
}

CH=$T_TMP/channels
printf 'tcp = proto tcp\nweb = dst port in [80 443]\nsmall = bytes < 500\n' \
    >"$CH"

compare() {	# compare LABEL FILE1 FILE2
	python3 - "$@" <<'PY'
import json, sys
a = json.loads(open(sys.argv[2]).readline())
b = json.loads(open(sys.argv[3]).readline())
for k in ("time", "window", "totals", "top", "protocols", "channels",
          "profiles"):
    if a.get(k) != b.get(k):
        print("%s differs:\n  --at: %s\n  cut:  %s" % (k, a.get(k), b.get(k)))
        sys.exit(1)
PY
}

for frac in 0.3 0.62; do
	CUT=$T_TMP/cut-$frac.pcap
	T=$(cut_pcap "$FULL" "$CUT" "$frac")
	at=$(printf '%d.%03d' $((T / 1000)) $((T % 1000)))
	for w in 10s 30s all; do
		for agg in srcip dstport; do
			args=(--batch --format json --window "$w" --aggregate
			    "$agg" --top 15 --channels "$CH")
			timeout 60 "$NFTOP" "${args[@]}" --read "$FULL" \
			    --at "$at" >"$T_TMP/at.json" 2>"$T_TMP/at.err"
			timeout 60 "$NFTOP" "${args[@]}" --read "$CUT" \
			    >"$T_TMP/cut.json" 2>"$T_TMP/cut.err"
			out=$(compare x "$T_TMP/at.json" "$T_TMP/cut.json" 2>&1)
			ok $? "--at $at (${frac} of the file) --window $w -A $agg equals the file cut there"
			[ -n "$out" ] && diag "$out"
		done
	done
done

# The cursor counts less than the end, and --at -DUR is relative.
timeout 60 "$NFTOP" --batch --format json --read "$FULL" --window 20s \
    >"$T_TMP/end.json"
END=$(json_get "$T_TMP/end.json" 'r["time"]')
timeout 60 "$NFTOP" --batch --format json --read "$FULL" --window 20s \
    --at -15s >"$T_TMP/rel.json"
REL=$(json_get "$T_TMP/rel.json" 'r["time"]')
python3 -c 'import datetime as d, sys
f = lambda s: d.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
sys.exit(0 if (f(sys.argv[1]) - f(sys.argv[2])).total_seconds() in (14, 15) else 1)' \
    "$END" "$REL"
ok $? "--at -15s reports the window ending 15 s before the end ($REL, end $END)"
timeout 60 "$NFTOP" --batch --format json --read "$FULL" --window 20s \
    --at 2025-11-24T16:00:30Z >"$T_TMP/iso.json"
is "$(json_get "$T_TMP/iso.json" 'r["time"]')" 2025-11-24T16:00:30Z \
    "--at takes ISO 8601 times"

# Outside the file: the report is of its nearer end, and that is said.
for far in 2020-01-01T00:00:00Z:before 2030-01-01T00:00:00Z:after; do
	timeout 60 "$NFTOP" --batch --format json --read "$FULL" \
	    --window 20s --at "${far%:*}" >"$T_TMP/far.json" 2>"$T_TMP/far.err"
	[ $? -eq 0 ] && grep -q -- "--at ${far%:*}: ${far##*:} the" \
	    "$T_TMP/far.err" && [ -s "$T_TMP/far.json" ]
	ok $? "--at ${far%:*}, ${far##*:} the file: a report, and a\
 warning: $(head -c 120 "$T_TMP/far.err")"
done

for bad in yesterday 2025-13-01T00:00:00Z -5x ""; do
	timeout 10 "$NFTOP" --batch --read "$FULL" --at "$bad" \
	    >"$T_TMP/bad.out" 2>"$T_TMP/bad.err"
	rc=$?
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && [ ! -s "$T_TMP/bad.out" ]
	ok $? "--at '$bad' is refused: $(head -c 120 "$T_TMP/bad.err")"
done
timeout 10 "$NFTOP" --batch --listen 127.0.0.1:0 --at -5s --count 1 \
    >/dev/null 2>"$T_TMP/live.err"
[ $? -ne 0 ] && grep -q -- "--at" "$T_TMP/live.err"
ok $? "--at without --read is refused"

end_testing
