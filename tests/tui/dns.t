#!/bin/sh
# tests/tui/dns.t - reverse DNS for the rows on screen.
#
# A fake DNS server on 127.0.0.1 (fake_dns.py) answers PTR queries with
# plain names, names holding ESC, CR/LF or a bidi override, or not at
# all; nftop finds it through NFTOP_DNS_SERVER (the knob for tests).
# With n pressed, every top row shows its name, escaped where the name
# has controls (\x1b, \x0d \x0a, \u{202e}), or its address when the
# server stays silent; only the rows on screen are looked up.  A second
# run points at a server that never answers: the screen stays
# responsive, rows keep their addresses, q quits at once.

. "$(dirname "$0")/lib-tui.sh"

plan 16

make_pcap
FAKE="$TUI_DIR/fake_dns.py"

spawn python3 "$FAKE" "$T_TMP/dns.port" "$T_TMP/dns.log" --lifetime 90
wait_for 10 test -s "$T_TMP/dns.port"
ok $? "the fake DNS server is up"
DNS_PORT=$(cat "$T_TMP/dns.port")

# The top sources, rank by rank, from the batch run; and what each row
# must show once named (the server's rule, escaped by nftop).
"$NFTOP" --batch --read "$FB_PCAP" --format json --top 28 >"$T_TMP/top.json"
python3 - "$T_TMP/top.json" >"$T_TMP/expect" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
for i, t in enumerate(r["top"]):
    ip = t["key"]["srcip"]
    if ":" in ip:
        name = "v6.example"
    else:
        a = ip.split(".")
        tag = "-".join(a)
        name = {0: "h-%s.example" % tag,
                1: "esc-%s\\x1b[31m.example" % tag,
                2: "crlf-%s\\x0d\\x0a.example" % tag,
                3: "bidi-%s\\u{202e}elpmaxe" % tag,
                4: ip}[int(a[3]) % 5]
    print(i + 1, name)
PY

start d 120 35 ${UTF8:+LC_ALL=$UTF8} NFTOP_DNS_SERVER="127.0.0.1:$DNS_PORT" \
    -- --read "$FB_PCAP"
wait_screen 10 d "3.00K flows"
keys d n
wait_screen 5 d "host names on"
ok $? "n turns host names on"
# Names arrive over a few ticks (20 queries a second at most).
shown() {
	screen d | awk '$1 == "#" { c = 1; next } c && $1 ~ /^[0-9]+$/ {
	    print $1, $2 }'
}
_n=100
while [ "$_n" -gt 0 ] && ! shown | diff -q - "$T_TMP/expect" >/dev/null
do
	sleep 0.1
	_n=$((_n - 1))
done
shown >"$T_TMP/shown"
diff -u "$T_TMP/expect" "$T_TMP/shown" >"$T_TMP/names.diff"
ok $? "every row shows its name, or its address when there is none"
[ -s "$T_TMP/names.diff" ] && sed 's/^/# /' "$T_TMP/names.diff"
grep -q 'esc-.*\\x1b\[31m\.example' "$T_TMP/shown"
ok $? "ESC in a name shows as \\x1b"
grep -q 'crlf-.*\\x0d\\x0a\.example' "$T_TMP/shown"
ok $? "CR and LF show as \\x0d\\x0a"
grep -q 'bidi-.*\\u{202e}elpmaxe' "$T_TMP/shown"
ok $? "the bidi override shows as \\u{202e}"
TM capture-pane -e -p -t d | grep -q "$(printf '\033')\[31m"
is $? 1 "the name's escape never reaches the terminal"
Q=$(wc -l <"$T_TMP/dns.log")
[ "$Q" -ge 20 ] && [ "$Q" -le 40 ]
ok $? "only the rows on screen are looked up ($Q queries for 28 rows)"
python3 - "$T_TMP/dns.log" <<'PY'
import sys
t = [float(l.split()[0]) for l in open(sys.argv[1])]
worst = max(sum(1 for u in t if s <= u < s + 1.0) for s in t)
sys.exit(0 if worst <= 40 else 1)
PY
ok $? "queries are rate-limited (at most 20 a tick)"
keys d PageDown
wait_for 10 sh -c "[ \$(wc -l <'$T_TMP/dns.log') -gt $Q ]"
ok $? "scrolling to new rows looks them up"
no_names() { ! shown | grep -q 'example'; }
keys d n
wait_for 5 no_names
ok $? "n again: addresses"
quit_ok d "names"

# --- a server that never answers.
spawn python3 "$FAKE" "$T_TMP/silent.port" "$T_TMP/silent.log" --silent \
    --lifetime 60
wait_for 10 test -s "$T_TMP/silent.port"
start s 120 35 LC_ALL=C \
    NFTOP_DNS_SERVER="127.0.0.1:$(cat "$T_TMP/silent.port")" -- \
    --read "$FB_PCAP"
wait_screen 10 s "3.00K flows"
keys s n
wait_for 5 test -s "$T_TMP/silent.log"
keys s u
wait_screen 2 s "exact numbers"
ok $? "silent server: keys still work at once"
sleep 3
has s "10.3.166.100"
ok $? "rows keep their addresses"
T0=$(date +%s)
keys s q
wait_for 5 dead s
exited s "nftop exited 0"
ok $? "q quits at once with queries outstanding ($(($(date +%s) - T0))s)"

done_testing
