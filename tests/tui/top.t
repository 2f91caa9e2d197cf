#!/bin/sh
# tests/tui/top.t - the terminal UI, driven in a private tmux server.
#
# nftop listens on a free loopback port inside a 120x35 tmux pane;
# flowblast sends it a fixed set of NetFlow v5 records.  The screen must
# show the same totals and top talkers as `nftop --batch --read` of the very
# same datagrams written to a pcap (the oracle), in exact numbers (the
# "units" key) and in human ones.  Then the keys: sort by packets,
# aggregate, help, the filter prompt (a bad filter is refused and the old
# one stays; a good one gives the batch run's filtered totals), pause,
# quit; the terminal must be restored (alternate screen off).  A second
# run reads the pcap at 80x24 in the C locale, is compared with a golden
# screen (GENERATE=1 rewrites it), steps through every aggregate and is
# resized down to "too small" and back.  Last, keymap files: vim.keys
# loads (with NO_COLOR; SIGTERM restores the terminal), a bad one fails
# with FILE:LINE.  Every wait is bounded; nothing leaves 127.0.0.1.

. "$(dirname "$0")/lib-tui.sh"

plan 61

SEED=2
START=1700000000
RECORDS=3000
KEYS="$(dirname "$0")/../../keymaps/default.keys"

# parse WHAT < screen: totals ("flows packets bytes") or row1 ("key
# bytes packets flows": the row ranked 1, after the column names).
parse() {
	case $1 in
	totals)	sed -nE 's/^ *([^ ]+) flows +([^ ]+) packets +([^ ]+) bytes.*/'\
'\1 \2 \3/p' | head -1 ;;
	row1)	awk 'cols && $1 == "1" { print $2, $3, $4, $5; exit }
		    $1 == "#" { cols = 1 }' ;;
	esac
}

# --- the oracle: the same datagrams, as a file, through --batch --read.
"$FLOWBLAST" -q -f v5 -s $SEED -S $START -n $RECORDS -r 20000 \
    -w "$T_TMP/fb.pcap" >/dev/null
for o in bytes packets; do
	"$NFTOP" --batch --read "$T_TMP/fb.pcap" --format json --order $o \
	    >"$T_TMP/$o.json"
done
"$NFTOP" --batch --read "$T_TMP/fb.pcap" --format json \
    --aggregate dstip >"$T_TMP/dstip.json"
"$NFTOP" --batch --read "$T_TMP/fb.pcap" --format json \
    --filter 'proto tcp' >"$T_TMP/tcp.json"
# The expected values, and their human forms (three significant digits,
# SI prefixes: the UI's rounding), as shell assignments.
eval "$(python3 - "$T_TMP" <<'PY'
import json, sys
d = sys.argv[1]
def load(name):
    return json.loads([l for l in open(d + "/" + name) if l.strip()][-1])
def human(v):
    v, p = float(v), 0
    if v < 999.5:
        return "%.0f" % v
    while v >= 999.5 and p < 6:
        v, p = v / 1000, p + 1
    f = "%.2f" if v < 9.995 else "%.1f" if v < 99.95 else "%.0f"
    return f % v + " KMGTPE"[p]
def row(r, key):
    t = r["top"][0]
    return [t["key"][key], t["bytes"], t["packets"], t["flows"]]
b, p, dst = load("bytes.json"), load("packets.json"), load("dstip.json")
tcp = load("tcp.json")
tot = [b["totals"]["flows"], b["totals"]["packets"], b["totals"]["bytes"]]
rb = row(b, "srcip")
out = {
    "X_TOTALS": tot, "X_HUMAN": [human(v) for v in tot],
    "X_ROW_B": rb, "X_HUMAN_ROW_B": [rb[0]] + [human(v) for v in rb[1:]],
    "X_ROW_P": row(p, "srcip"), "X_DST": [row(dst, "dstip")[0]],
    "X_TCP": [tcp["totals"][k] for k in ("flows", "packets", "bytes")],
}
for k, v in out.items():
    print("%s='%s'" % (k, " ".join(str(x) for x in v)))
PY
)"
diag "oracle: totals $X_TOTALS; by bytes $X_ROW_B; by packets $X_ROW_P"
[ "${X_ROW_B%% *}" != "${X_ROW_P%% *}" ] ||
    diag "seed $SEED: same top talker by bytes and packets; re-sort unseen"

# --- live: nftop on a loopback port at 120x35, in a UTF-8 locale if
# there is one (else the sparkline check below is skipped).
PORT=$(free_udp_port)
start live 120 35 ${UTF8:+LC_ALL=$UTF8} -- --listen "127.0.0.1:$PORT" \
    --window all
wait_for 10 has live "aggregate srcip"
ok $? "the screen comes up with its title"
wait_for 5 has live "waiting for flow records on udp 127.0.0.1:$PORT"
ok $? "the empty table says where nftop listens"

keys live u
wait_for 5 has live "exact numbers"
ok $? "u switches to exact numbers"

"$FLOWBLAST" -q -f v5 -s $SEED -S $START -n $RECORDS -r 20000 -T 20 \
    -d "127.0.0.1:$PORT" >/dev/null
wait_for 10 has live "${X_TOTALS##* } bytes"
ok $? "the records arrive"
is "$(screen live | parse totals)" "$X_TOTALS" \
    "totals (flows packets bytes) equal the batch run's"
is "$(screen live | parse row1)" "$X_ROW_B" \
    "top row by bytes (key bytes packets flows) equals the batch run's"
if [ -n "$UTF8" ]; then
	line live 3 | grep -q '[▁▂▃▄▅▆▇█]'
	ok $? "the sparkline is drawn with block characters ($UTF8)"
else
	ok 0 "# SKIP no C.UTF-8 locale for the block-character sparkline"
fi

ESC=$(printf '\033')
TM capture-pane -e -p -t live | grep -q "$ESC\[4[0-7]m"
ok $? "colours (title bar) when NO_COLOR is unset"

keys live u
wait_for 5 has live "human units"
ok $? "u switches back to human units"
is "$(screen live | parse totals)" "$X_HUMAN" "human totals are rounded"
is "$(screen live | parse row1)" "$X_HUMAN_ROW_B" \
    "human top row is rounded the same way"
keys live u

keys live P
wait_for 5 has live "order packets"
ok $? "P sorts by packets"
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t live |
    grep -qE '^ +1 +${X_ROW_P%% *} '"
is "$(screen live | parse row1)" "$X_ROW_P" \
    "top row by packets equals the batch run with --order packets"

keys live B
wait_for 5 has live "order bytes"
ok $? "B sorts by bytes again"

keys live a
wait_for 5 has live "aggregate dstip"
ok $? "a steps to the next aggregate (dstip)"
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t live |
    grep -qE '^ +1 +$X_DST '"
ok $? "top destination equals the batch run with --aggregate dstip"
keys live s
wait_for 5 has live "aggregate srcip"
ok $? "s goes back to srcip"

keys live '?'
wait_for 5 has live "nftop keys, from"
ok $? "? shows the help screen"
screen live >"$T_TMP/help1.txt"
# The list is longer than two screens: its first, second and last page.
keys live PageDown
sleep 0.3
screen live >"$T_TMP/help-mid.txt"
keys live End
sleep 0.3
screen live >"$T_TMP/help2.txt"
is "$(python3 - "$KEYS" "$T_TMP/help1.txt" "$T_TMP/help2.txt" \
    "$T_TMP/help-mid.txt" <<'PY'
import re, sys
want = []
for l in open(sys.argv[1]):
    w = l.split()
    if len(w) >= 3 and w[0] == "bind":
        want.append(" ".join(w[2:]))
text = "".join(open(f).read() for f in sys.argv[2:])
missing = [c for c in want if not re.search(r"  " + re.escape(c) + r"  ",
                                            text)]
print("missing: " + ", ".join(missing) if missing else "all")
PY
)" "all" "help lists every command line of default.keys"
grep -qE '^ P +sort packets +order the table by packets' "$T_TMP/help1.txt"
ok $? "help shows key, command and description (P sort packets)"
grep -qE '^ \? h F1 +help ' "$T_TMP/help1.txt"
ok $? "help groups the keys of one command (? h F1)"
keys live Escape
wait_for 5 has live "order bytes"
ok $? "Escape leaves the help screen"

keys live /
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t live | tail -1 |
    grep -q '^filter:'"
ok $? "/ opens the filter prompt"
TM send-keys -t live -l 'nosuchkeyword (('
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t live | tail -1 |
    grep -qF 'filter: nosuchkeyword (('"
ok $? "typed text shows in the prompt"
keys live Enter
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t live | tail -5 |
    grep -q 'syntax error'"
ok $? "a bad filter is refused with a message: $(screen live | tail -5 |
    grep 'syntax error')"
has live "filter any"
ok $? "the old filter stays in force"
is "$(screen live | parse row1 | cut -d' ' -f1)" "${X_ROW_B%% *}" \
    "the table is unchanged"
screen live | tail -2 >"$T_TMP/caret"
head -1 "$T_TMP/caret" | grep -qF 'filter: nosuchkeyword (('
ok $? "the refused text stays in the prompt"
# The caret sits under the text, where the parser stopped.
is "$(awk 'NR == 1 { p = $0 } NR == 2 { c = index($0, "^") }
    END { r = c > 8 && c <= length(p) ? "under" : "elsewhere: " c;
    print r }' "$T_TMP/caret")" under "the caret is under the text"
TM send-keys -t live BSpace BSpace C-u x
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t live | tail -1 |
    grep -q '^filter: x *$'"
ok $? "BSpace and C-u edit the line"
keys live Escape
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t live | tail -1 |
    grep -q '? help'"
ok $? "Escape closes the prompt"
has live "filter any"
ok $? "and the filter is still the old one"
keys live /
TM send-keys -t live C-u
TM send-keys -t live -l 'proto tcp'
keys live Enter
wait_for 5 has live "filter proto tcp"
ok $? "Enter applies a good filter"
wait_for 5 has live "${X_TCP##* } bytes"
is "$(screen live | parse totals)" "$X_TCP" \
    "filtered totals equal the batch run with --filter 'proto tcp'"
keys live /
TM send-keys -t live C-u Enter
wait_for 5 has live "filter any"
ok $? "an empty filter is 'any' again"
wait_for 5 has live "${X_TOTALS##* } bytes"
ok $? "and the totals are back"

keys live p
wait_for 5 has live "PAUSED"
ok $? "p pauses the display"
keys live p
wait_for 5 hasnt live "PAUSED"
ok $? "p again resumes it"

keys live q
wait_for 10 dead live
ok $? "q quits"
exited live "nftop exited 0"
ok $? "with exit status 0"
is "$(TM display -p -t live '#{alternate_on}')" 0 \
    "the terminal is restored (alternate screen off)"

# --- small: the pcap at 80x24 in the C locale (ASCII drawing), compared
# with a golden screen; every aggregate; resizes.  GENERATE=1 rewrites
# the golden file.
GOLDEN="$(dirname "$0")/../golden/top-80x24.txt"
start small 80 24 LC_ALL=C -- --read "$T_TMP/fb.pcap"
wait_for 10 has small "window all"
ok $? "80x24: the screen comes up (--read counts the whole file)"
keys small u
wait_for 5 has small "${X_TOTALS##* } bytes"
is "$(screen small | parse totals)" "$X_TOTALS" "80x24: totals match"
# The file is read and nothing moves any more: the screen is final.
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t small >'$T_TMP/s1';
    sleep 0.3; tmux -L '$SOCK' capture-pane -p -t small | cmp -s - '$T_TMP/s1'"
screen small | sed "s|$T_TMP|TMP|g" >"$T_TMP/small.txt"
if [ -n "$GENERATE" ]; then
	cp "$T_TMP/small.txt" "$GOLDEN"
	diag "wrote $GOLDEN"
fi
diff -u "$GOLDEN" "$T_TMP/small.txt" >"$T_TMP/small.diff" 2>&1
ok $? "80x24: the screen equals tests/golden/top-80x24.txt"
[ -s "$T_TMP/small.diff" ] && sed 's/^/# /' "$T_TMP/small.diff"
steps=0
for agg in dstip ip srcip,dstip srcport dstport port proto exporter srcip
do
	keys small a
	wait_for 5 has small "aggregate $agg " && steps=$((steps + 1))
done
is "$steps" 9 "80x24: a steps through all nine aggregates and back"
line small 0 | grep -q " 6 Chan .* 7 Alerts"
ok $? "80x24: every view's tab fits, in short: $(line small 0)"
keys small '?'
wait_for 5 has small "nftop keys, from"
ok $? "80x24: help"
keys small Escape
TM resize-window -t small -x 30 -y 6
wait_for 5 has small "too small: 30x6"
ok $? "30x6: says the terminal is too small"
has small "nftop needs 40x10"
ok $? "30x6: ... and what it needs, all of it on the screen"
TM resize-window -t small -x 80 -y 24
wait_for 5 has small "aggregate srcip"
ok $? "back to 80x24: the table returns"
keys small q
wait_for 10 dead small
exited small "nftop exited 0"
ok $? "80x24: q quits with status 0"
is "$(TM display -p -t small '#{alternate_on}')" 0 \
    "80x24: the terminal is restored"

# --- keymaps: vim.keys loads; a bad file fails with FILE:LINE.
start vim 100 40 NO_COLOR=1 -- --read "$T_TMP/fb.pcap" --keymap vim
wait_for 10 has vim "aggregate srcip"
TM capture-pane -e -p -t vim >"$T_TMP/vim.esc"
! grep -q "$ESC\[[34][0-7]m" "$T_TMP/vim.esc" && grep -q "$ESC\[7m" \
    "$T_TMP/vim.esc"
ok $? "NO_COLOR=1: no colours, reverse video instead"
keys vim '?'
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t vim |
    grep -qE '^ j Down +down '"
ok $? "--keymap vim: help shows j for down"
keys vim Escape
# SIGTERM: main's handler ends the loop, ui_free restores the terminal.
VIM_PID=$(ps -o pid= --ppid "$(TM display -p -t vim '#{pane_pid}')" |
    tr -d ' ')
[ -n "$VIM_PID" ] && kill -TERM "$VIM_PID"
wait_for 10 dead vim
ok $? "SIGTERM ends nftop"
exited vim "nftop exited 0"
ok $? "with status 0"
is "$(TM display -p -t vim '#{alternate_on}')" 0 \
    "and the terminal is restored"
printf 'bind q quit\n# a comment\n\nbind x frobnicate\n' >"$T_TMP/bad.keys"
start bad 120 10 -- --read "$T_TMP/fb.pcap" --keymap "$T_TMP/bad.keys"
wait_for 10 dead bad
exited bad "bad.keys:4: unknown command 'frobnicate'"
ok $? "a bad keymap fails with FILE:LINE"
exited bad "nftop exited 1"
ok $? "and exit status 1"
# --batch draws nothing but checks a --keymap it is given, as the screen.
"$NFTOP" --batch --read "$T_TMP/fb.pcap" --keymap "$T_TMP/bad.keys" \
    >"$T_TMP/bad-batch.out" 2>&1
is "$?:$(cat "$T_TMP/bad-batch.out")" \
    "1:nftop: $T_TMP/bad.keys:4: unknown command 'frobnicate'" \
    "--batch refuses the same keymap, with the same message"
"$NFTOP" --batch --read "$T_TMP/fb.pcap" --keymap vim --format json \
    >"$T_TMP/vim-batch.out" 2>&1
is "$?" 0 "--batch with a good --keymap reports as usual"

done_testing
