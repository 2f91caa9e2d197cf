#!/bin/sh
# tests/tui/analysis.t - channels, alerts, the history cursor and burst
# mode in the terminal UI, each compared with the batch run (the oracle)
# of the very same file.
#
# The input is tests/tui/analysis_pcap.py's fixed pcap: two minutes of
# NetFlow v5 with steady talkers, one host that bursts for a second and a
# port scan.  nftop reads it (--read) in a private tmux server, at 160x40
# in the C locale with exact numbers (the "units" key), and:
#   - the channels view's flows, packets and bytes per channel equal
#     batch --channels for the same channels file (overlapping filters);
#     a channel added at the prompt equals batch --filter of its filter,
#     and goes again with "channel del"; Enter drills into a channel;
#   - the port scan (still active when the file ends) shows in the alerts
#     view and as a marker in the status line; the jump key sets the
#     alert's filter (as batch --alerts gives it) and puts the history
#     cursor at the moment it fired;
#   - the history cursor, moved back with [ and {, shows the totals, the
#     top talkers, the protocols and the channels of the batch report cut
#     at that moment (--at);
#   - the burst key orders the top talkers as batch burst mode does.
# Nothing is sent anywhere: --read only.

. "$(dirname "$0")/lib-tui.sh"

plan 33

PCAP="$T_TMP/analysis.pcap"
CHANNELS="$T_TMP/channels"
T0=1700000000
python3 "$TUI_DIR/analysis_pcap.py" "$PCAP" ||
    skip_all "cannot write the test pcap"

# Overlapping channels: web is inside tcp, scan is inside small.
cat >"$CHANNELS" <<'EOF'
# tests/tui/analysis.t
tcp = proto tcp
web = proto tcp and port 443
scan = dst ip 192.0.2.99
small = bytes < 1000
EOF

# batch ARGS...: the last JSON report of a batch run of the pcap.
batch() {
	"$NFTOP" --batch --read "$PCAP" --format json "$@" | tail -1
}

# jq-like: py JSON EXPR prints EXPR of the object r read from JSON.
py() {
	printf '%s\n' "$1" | python3 -c 'import json, sys
r = json.loads(sys.stdin.read())
v = eval(sys.argv[1])
print(" ".join(str(x) for x in v) if isinstance(v, (list, tuple)) else v)' \
	    "$2"
}

# chan_row SESSION NAME: "flows packets bytes" of a channels view row
# (the three numbers before its share).
chan_row() {
	screen "$1" | python3 -c 'import re, sys
name = sys.argv[1]
for l in sys.stdin:
    m = re.match(r"\s*(\S+)\s.*?\s(\d+)\s+(\d+)\s+(\d+)\s+[\d.]+%", l)
    if m and m.group(1) == name:
        print(m.group(2), m.group(3), m.group(4))
        break' "$2"
}

# totals SESSION: "flows packets bytes" of the header.
totals() {
	screen "$1" | sed -nE 's/^ *([0-9]+) flows +([0-9]+) packets +'\
'([0-9]+) bytes.*/\1 \2 \3/p' | head -1
}

# top SESSION N: the first N keys of the top talkers table.
top() {
	screen "$1" | awk -v n="$2" 'cols && $1 !~ /^[0-9]+$/ { exit }
	    cols && $1 <= n { printf "%s%s", sep, $2; sep = " " }
	    $1 == "#" { cols = 1 } END { print "" }'
}

# --- channels: the view against batch --channels.
ALL=$(batch --window all --channels "$CHANNELS")
start ch 160 40 LC_ALL=C -- --read "$PCAP" --window all \
    --channels "$CHANNELS"
wait_screen 10 ch "1.44K flows"
ok $? "the file is read"
keys ch u
keys ch 6
wait_screen 5 ch "channel"
settle ch
bad=""
for c in tcp web scan small; do
	want=$(py "$ALL" "[(c['flows'], c['packets'], c['bytes'])
	    for c in r['channels'] if c['name'] == '$c'][0]")
	got=$(chan_row ch $c)
	[ "$got" = "$want" ] || bad="$bad $c: got '$got', batch '$want';"
done
is "$bad" "" "each channel's flows, packets, bytes equal batch --channels"
want=$(py "$ALL" "len(r['channels'])")
is "$(screen ch | grep -cE '^ *(tcp|web|scan|small) ')" "$want" \
    "one row per channel of the file"

# A channel from the prompt: its totals are batch --filter's.
keys ch :
typed ch "channel add dns proto udp and port 53"
keys ch Enter
wait_screen 5 ch "channel dns added"
ok $? "channel add: the prompt takes the filter with its blanks"
settle ch
want=$(py "$(batch --window all --filter 'proto udp and port 53')" \
    "[r['totals'][k] for k in ('flows', 'packets', 'bytes')]")
is "$(chan_row ch dns)" "$want" \
    "the added channel's totals equal batch --filter of its filter"
keys ch :
typed ch "channel add bad proto tpc"
keys ch Enter
wait_screen 5 ch "tpc"
ok $? "a channel with a bad filter is refused, with the cause"
keys ch Escape
keys ch :
typed ch "channel del dns"
keys ch Enter
wait_screen 5 ch "channel dns removed"
settle ch
is "$(chan_row ch dns)" "" "channel del: the row is gone"

# Enter on the scan channel: its filter, its top talkers.
keys ch Home
n=$(screen ch | awk '$1 == "channel" { cols = 1; next }
    cols && $1 != "" { i++ } cols && $1 == "scan" { print i; exit }')
i=1
while [ "$i" -lt "${n:-1}" ]; do
	keys ch Down
	i=$((i + 1))
done
keys ch Enter
wait_screen 5 ch "dst ip 192.0.2.99"
ok $? "Enter on a channel drills into its filter"
is "$(top ch 1)" "10.6.6.6" "... and shows its top talker"
quit_ok ch "channels"

# --- alerts: the port scan, in the view and the status line.
ALERTS="$T_TMP/alerts.json"
"$NFTOP" --batch --read "$PCAP" --alerts --format json >"$ALERTS"
scan=$(python3 - "$ALERTS" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    try:
        a = json.loads(l)
    except ValueError:
        continue
    if a.get("event") == "fired" and a.get("subject") == "10.6.6.6":
        print(a["kind"], a["fired"], a["filter"], sep="\t")
        break
PY
)
kind=$(printf '%s' "$scan" | cut -f1)
first=$(printf '%s' "$scan" | cut -f2)
afilter=$(printf '%s' "$scan" | cut -f3)
[ -n "$kind" ]
ok $? "batch --alerts reports the scan of 10.6.6.6 ($kind)"

start al 160 40 LC_ALL=C -- --read "$PCAP" --window 1m
wait_screen 10 al "1.44K flows"
wait_line 5 al 38 "ALERTS? [0-9]+"
ok $? "the status line marks active alerts"
keys al 7
wait_screen 5 al "10.6.6.6"
ok $? "the alerts view lists the scan's subject"
has al "$kind"
ok $? "... and its kind, as batch --alerts says ($kind)"
keys al J
wait_screen 5 al "$afilter"
ok $? "the jump key sets the alert's filter ($afilter)"
when=$(python3 -c 'import sys, time
print(time.strftime("%H:%M:%S", time.gmtime(int(sys.argv[1]) / 1000)))' \
    "$first")
line al 38 | grep -qF "at $when"
ok $? "... and the history cursor at the moment it fired ($when)"
is "$(top al 1)" "10.6.6.6" "... where the scanner is the top talker"
keys al L
wait_line 5 al 38 "end of file"
ok $? "L goes back to the present: the end of the file read"
quit_ok al "alerts"

# --- the history cursor against batch --at.
start hc 160 40 LC_ALL=C -- --read "$PCAP" --window 10s \
    --channels "$CHANNELS"
wait_screen 10 hc "aggregate srcip"
keys hc u
settle hc
is "$(totals hc)" "$(py "$(batch --window 10s)" \
    "[r['totals'][k] for k in ('flows', 'packets', 'bytes')]")" \
    "live: the totals of the batch report"
# The file ends at t0 + 119: { is a whole window (10 s) back, [ a tenth.
keys hc '{'
keys hc '{'
keys hc '['
keys hc '['
at=$((T0 + 119 - 22))
when=$(python3 -c 'import sys, time
print(time.strftime("%H:%M:%S", time.gmtime(int(sys.argv[1]))))' "$at")
wait_line 5 hc 38 "at $when"
ok $? "the status line shows the cursor's moment ($when)"
settle hc
cut=$(batch --window 10s --at "$at")
is "$(totals hc)" "$(py "$cut" \
    "[r['totals'][k] for k in ('flows', 'packets', 'bytes')]")" \
    "at the cursor: the totals of the batch report cut there (--at)"
is "$(top hc 7)" "$(py "$cut" "[t['key']['srcip'] for t in r['top'][:7]]")" \
    "at the cursor: the top talkers of the batch report cut there"
keys hc 2
wait_screen 5 hc "protocol"
settle hc
got=$(screen hc | sed -nE 's/^ (tcp|udp) +([0-9]+) +([0-9]+) +([0-9]+) .*/'\
'\1 \2 \3 \4/p' | head -2 | tr '\n' ' ')
is "$got" "$(py "$cut" "[' '.join(str(x) for x in (p['name'], p['flows'],
    p['packets'], p['bytes'])) for p in r['protocols'] if p['name'] in
    ('tcp', 'udp')] + ['']")" \
    "at the cursor: the protocols view equals the cut report's protocols"
keys hc 6
wait_screen 5 hc "channel"
settle hc
cutch=$(batch --window 10s --at "$at" --channels "$CHANNELS")
bad=""
for c in tcp web scan small; do
	want=$(py "$cutch" "[(c['flows'], c['packets'], c['bytes'])
	    for c in r['channels'] if c['name'] == '$c'][0]")
	got=$(chan_row hc $c)
	[ "$got" = "$want" ] || bad="$bad $c: got '$got', batch '$want';"
done
is "$bad" "" "at the cursor: each channel's totals equal the cut report's"
quit_ok hc "history"

# --- burst mode against batch.
start bu 160 40 LC_ALL=C -- --read "$PCAP" --window all
wait_screen 10 bu "1.44K flows"
settle bu
is "$(top bu 1)" "10.0.0.5" "by total, 10.0.0.5 is first"
keys bu S
wait_screen 5 bu "burst"
settle bu
is "$(top bu 3)" "$(py "$(batch --window all --burst)" \
    "[t['key']['srcip'] for t in r['burst']['top'][:3]]")" \
    "burst mode: the order of batch --burst (10.0.0.66 spiked)"
quit_ok bu "burst"

done_testing
