#!/bin/sh
# tests/tui/keys.t - every key of keymaps/default.keys, and the mouse.
#
# nftop reads the fixed pcap (lib-tui.sh) at 120x35 without colour, so
# the selected row is the one line of the table in reverse video.  Each
# key's effect is checked on the screen, and where it changes what is
# counted, against `nftop --batch --read` of the same file (the oracle):
# orders, windows, aggregates, drill-down filters, exports.  The mouse
# is an xterm report sent into the pane.  Bounded waits; --read only.

. "$(dirname "$0")/lib-tui.sh"

plan 79

make_pcap
SERVICES="$T_TMP/services"
printf 'ssh\t\t22/tcp\nhttps\t\t443/tcp\ndomain\t\t53/udp\n' >"$SERVICES"

# oracle ARGS... -- EXPR: a Python expression over the batch JSON `r`.
oracle() {
	_a=""
	while [ "$1" != "--" ]; do
		_a="$_a '$1'"
		shift
	done
	eval "'$NFTOP' --batch --read '$FB_PCAP' --format json $_a" \
	    >"$T_TMP/oracle.json"
	json_get "$T_TMP/oracle.json" "$2"
}

# row1 SESSION: the key of the row ranked 1.
row1() { screen "$1" | awk '$1 == "#" { c = 1; next } c && $1 == "1" {
    print $2; exit }'; }
# sel SESSION: the rank of the selected row (reverse video), or "none".
sel() {
	TM capture-pane -e -p -t "$1" | sed -n '6,33p' |
	    awk -v e="$(printf '\033')" '$0 ~ e "\\[([0-9;]*;)?7(;[0-9;]*)?m" {
	    gsub(e "\\[[0-9;]*m", ""); print $1; f = 1; exit }
	    END { if (!f) print "none" }'
}
totals() { screen "$1" | sed -nE 's/^ *([^ ]+) flows +([^ ]+) packets +'\
'([^ ]+) bytes.*/\1 \2 \3/p' | head -1; }

start k 120 35 LC_ALL=C NO_COLOR=1 NFTOP_SERVICES="$SERVICES" -- \
    --read "$FB_PCAP"
wait_screen 10 k "3.00K flows"
ok $? "the file is read"
keys k u
wait_screen 5 k "exact numbers"
X_ALL=$(oracle -- '"%d %d %d" % (r["totals"]["flows"],
    r["totals"]["packets"], r["totals"]["bytes"])')
is "$(totals k)" "$X_ALL" "u: exact totals equal the batch run's"

# --- views: Tab, BTab, the digits.
keys k Tab
wait_line 5 k 4 '^ protocol '
ok $? "Tab: protocols"
keys k Tab
wait_line 5 k 4 '^ first seen '
ok $? "Tab again: flows"
keys k BTab
wait_line 5 k 4 '^ protocol '
ok $? "BTab: back to protocols"
for v in "4:^ exporter +protocol" "5:^ exporter +ifindex" \
    "3:^ first seen" "2:^ protocol" "1:^ +# +srcip"; do
	keys k "${v%%:*}"
	wait_line 5 k 4 "${v#*:}"
	ok $? "${v%%:*}: the view with '${v#*:}'"
done

# --- orders.
for o in "P:packets" "F:flows" "B:bytes"; do
	keys k "${o%%:*}"
	wait_screen 5 k "order ${o#*:}"
	is "$(row1 k)" "$(oracle --order "${o#*:}" -- \
	    'r["top"][0]["key"]["srcip"]')" "${o%%:*}: ordered by ${o#*:}"
done
X_BPS=$(oracle --window 10s -- 'r["top"][0]["key"]["srcip"]')
X_PPS=$(oracle --window 10s --order packets -- \
    'r["top"][0]["key"]["srcip"]')
keys k r
wait_screen 5 k "order bps"
is "$(row1 k)" "$X_BPS" "r: ordered by the 10s rate in bits/s"
keys k R
wait_screen 5 k "order pps"
is "$(row1 k)" "$X_PPS" "R: ordered by the 10s rate in packets/s"
keys k '>'
wait_screen 5 k "order bytes"
ok $? "> wraps around to bytes"
keys k '<'
wait_screen 5 k "order pps"
ok $? "< goes back to pps"
keys k B

# --- freeze: the order stays while the counts change.
TOP3=$(screen k | awk '$1 == "#" { c = 1; next } c && $1 ~ /^[123]$/ {
    printf "%s ", $2 }')
keys k o
wait_screen 5 k "frozen"
ok $? "o freezes the order"
keys k w
wait_screen 5 k "window 10s"
is "$(screen k | awk '$1 == "#" { c = 1; next } c && $1 ~ /^[123]$/ {
    printf "%s ", $2 }')" "$TOP3" "frozen: a 10s window keeps the rows"
keys k o
wait_for 5 hasnt k "frozen"
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t k |
    awk '\$1 == \"1\" { print \$2; exit }' | grep -qx '$X_BPS'"
is "$(row1 k)" "$X_BPS" "o again: ordered by the 10s window's bytes"
is "$(totals k)" "$(oracle --window 10s -- '"%d %d %d" % (
    r["totals"]["flows"], r["totals"]["packets"], r["totals"]["bytes"])')" \
    "w: the 10s window's totals equal the batch run's"

# --- windows: W, T.
keys k T
wait_screen 5 k "window all (cumulative)"
ok $? "T: cumulative totals (window all)"
is "$(totals k)" "$X_ALL" "T: the totals of the whole file"
keys k T
wait_screen 5 k "window 10s"
ok $? "T again: back to the 10s window"
keys k W
wait_screen 5 k "window all"
ok $? "W: the previous window (all, wrapping around)"

# --- aggregates.
for a in "a:dstip" "A:srcip" "d:dstip" "s:srcip"; do
	keys k "${a%%:*}"
	wait_screen 5 k "aggregate ${a#*:} "
	ok $? "${a%%:*}: aggregate ${a#*:}"
done
keys k g
wait_line 5 k 34 '^aggregate: srcip'
ok $? "g: the aggregate prompt offers the current one"
keys k C-u
typed k "srcip,nosuchkey"
keys k Enter
wait_line 5 k 34 '\^+ +unknown aggregate key'
ok $? "a bad key is refused: $(line k 34)"
is "$(line k 34 | awk '{ print index($0, "^") }')" \
    "$(line k 33 | awk '{ print index($0, "nosuchkey") }')" \
    "the caret is under the bad key"
keys k C-u
typed k "srcip/24,dstport"
keys k Enter
wait_screen 5 k "aggregate srcip/24,dstport"
ok $? "srcip/24,dstport is taken"
is "$(screen k | awk '$1 == "#" { c = 1; next } c && $1 == "1" {
    print $2, $3; exit }')" "$(oracle --aggregate srcip/24,dstport -- \
    'r["top"][0]["key"]["srcip"] + " " + str(r["top"][0]["key"]["dstport"])')" \
    "top row equals the batch run with --aggregate srcip/24,dstport"
keys k =
wait_line 5 k 34 '^aggregate: '
keys k Escape
keys k s
wait_screen 5 k "aggregate srcip "
ok $? "= opens the same prompt, Escape cancels"

# --- drill-down and back.
ROW1=$(row1 k)
keys k Enter
wait_screen 5 k "filter any > src ip $ROW1"
ok $? "Enter drills into src ip $ROW1"
has k "aggregate dstip"
ok $? "and shows its destinations"
is "$(totals k)" "$(oracle --filter "src ip $ROW1" -- '"%d %d %d" % (
    r["totals"]["flows"], r["totals"]["packets"], r["totals"]["bytes"])')" \
    "drilled totals equal the batch run with --filter 'src ip $ROW1'"
keys k BSpace
wait_line 5 k 1 "aggregate srcip .*filter any$"
ok $? "BSpace pops it: filter any, aggregate srcip"
is "$(totals k)" "$X_ALL" "and the totals are back"
keys k BSpace
wait_screen 5 k "nothing to go back to"
ok $? "BSpace with nothing pushed says so"

# --- selection: Down, Up, PageDown, PageUp, End, Home.
keys k Home
wait_for 5 sh -c "[ \"\$(sel k)\" = 1 ]" 2>/dev/null
for m in "Down:2" "Down:3" "Up:2" "PageDown:30" "PageUp:2" "Home:1"; do
	keys k "${m%%:*}"
	_n=0
	while [ "$_n" -lt 30 ] && [ "$(sel k)" != "${m#*:}" ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	is "$(sel k)" "${m#*:}" "${m%%:*}: row ${m#*:} is selected"
done
keys k End
wait_for 5 has k "of 908"
is "$(sel k)" 908 "End: the last row"
keys k Home

# --- the row limit.
keys k l
typed k "(^10\\.3"
keys k Enter
wait_line 5 k 34 '\^ +missing closing parenthesis'
ok $? "l: a bad regex is refused with a caret: $(line k 34)"
keys k C-u
typed k "^10\\.3[0-9]*\\."
keys k Enter
wait_screen 5 k "limit /^10\\.3[0-9]*\\./"
ok $? "l: the limit shows in the view line"
is "$(screen k | awk '$1 == "#" { c = 1; next } c && $1 ~ /^[0-9]+$/ &&
    $2 !~ /^10\.3[0-9]*\./ { print $2 }' | head -1)" "" \
    "every row matches it"
is "$(totals k)" "$X_ALL" "and the totals are unchanged"
keys k l
keys k C-u
keys k Enter
wait_for 5 hasnt k "limit /"
ok $? "an empty limit removes it"

# --- the command prompt.
keys k :
typed k "sort flows"
keys k Enter
wait_screen 5 k "order flows"
ok $? ": runs 'sort flows'"
keys k :
typed k "frobnicate now"
keys k Enter
wait_line 5 k 34 "unknown command 'frobnicate'"
ok $? ": refuses an unknown command"
keys k Escape
keys k B

# --- display keys.
keys k p
wait_screen 5 k "PAUSED"
ok $? "p pauses"
keys k Space
wait_for 5 hasnt k "PAUSED"
ok $? "Space resumes"
keys k b
wait_screen 5 k "bytes/s"
ok $? "b: rates in bytes/s"
keys k b
wait_screen 5 k "bits/s"
ok $? "b again: bits/s"
keys k N
wait_screen 5 k "service names on"
keys k :
typed k "aggregate dstport"
keys k Enter
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t k | grep -qE '^ +[0-9]+ +ssh '"
ok $? "N: ports by their service name (ssh)"
keys k N
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t k | grep -qE '^ +[0-9]+ +22 '"
ok $? "N again: numbers"
keys k s
keys k c
wait_screen 5 k "theme 256"
ok $? "c: the next theme (256)"
has k "NO_COLOR is set"
ok $? "and it says NO_COLOR keeps it monochrome"
keys k C-l
wait_screen 5 k "1 Top"
ok $? "C-l redraws"

# --- export: the prompt offers a name in the current directory, or in
# $TMPDIR when nftop (run as root, now "nobody") cannot write there.
DIR=.
[ "$(id -u)" = 0 ] && DIR="$T_TMP/tmp"
keys k e
wait_line 5 k 34 "^export to: $DIR/nftop-top-[0-9TZ]+\\.json"
ok $? "e offers $DIR/nftop-top-TIME.json"
keys k Enter
wait_screen 5 k "wrote"
F=$(last_line k | sed -nE 's/.* to (.*\/nftop-top-[0-9TZ]+\.json).*/\1/p')
[ "$DIR" = . ] && F="$T_TMP/$F"
[ -f "$F" ]
ok $? "the file is there: $F"
is "$(json_get "$F" '"%d %d %d" % (r["totals"]["flows"],
    r["totals"]["packets"], r["totals"]["bytes"])')" "$X_ALL" \
    "its totals equal the batch run's"
keys k 3
keys k :
typed k "export csv $T_TMP/tmp/flows.csv"
keys k Enter
wait_screen 5 k "wrote 3000 flow records"
is "$(($(wc -l <"$T_TMP/tmp/flows.csv") - 1))" 3000 \
    "the flows view exports its records (CSV)"
keys k :
typed k "export json /nonexistent/dir/x.json"
keys k Enter
wait_screen 5 k "cannot create /nonexistent/dir/x.json"
ok $? "an export that cannot be written says why"
if [ "$(id -u)" = 0 ]; then
	# Root's own directory, which "nobody" may not write to.
	mkdir -m 700 "$T_TMP/rootonly"
	keys k :
	typed k "export json $T_TMP/rootonly/x.json"
	keys k Enter
	wait_screen 5 k "Permission denied (nftop runs as nobody now)"
	ok $? "as root: an export nobody may write says who nftop is now"
else
	ok 0 "# SKIP not root: no privileges dropped"
fi
keys k 1

# --- the mouse: tabs, column names, rows, the wheel.
keys k Home
click k 30 0
wait_line 5 k 4 '^ first seen '
ok $? "a click on '3 Flows' shows the flows"
click k 5 0
click k 10 0
wait_line 5 k 4 '^ +# +srcip'
ok $? "a click on '1 Top' shows the top talkers"
X=$(line k 4 | awk '{ print index($0, "packets") }')
click k "$X" 4
wait_screen 5 k "order packets"
ok $? "a click on the packets column orders by packets"
click k 10 9
wait_for 5 sh -c "[ \"\$(sel k)\" = 5 ]" 2>/dev/null
is "$(sel k)" 5 "a click on a row selects it"
wheel k down
wait_for 5 sh -c "[ \"\$(sel k)\" = 8 ]" 2>/dev/null
is "$(sel k)" 8 "the wheel moves three rows"

# --- help keys.
for h in h F1; do
	keys k "$h"
	wait_screen 5 k "nftop keys, from"
	ok $? "$h shows the help"
	keys k Escape
done

quit_ok k "keys"

done_testing
