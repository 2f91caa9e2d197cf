#!/bin/sh
# tests/tui/prompt.t - the filter prompt and drill-down.
#
# The filter prompt's history is kept across runs (a file under
# $XDG_STATE_HOME/nftop), Up and Down walk it, Tab completes through the
# filter compiler, and an error leaves the text in the prompt with a caret
# under the offending token while the old filter stays in force.  Then
# drill-down from every view: Enter pushes an nfdump filter (combined with
# the one in force by "and"), the breadcrumb shows it, the totals equal
# `nftop --batch --read --filter` of the same filter, BSpace pops it and
# puts back the view.  --read of the fixed pcap only.

. "$(dirname "$0")/lib-tui.sh"

plan 45

make_pcap
HIST="$T_TMP/state/nftop/history"

# totals SESSION and the oracle's for a filter.
totals() { screen "$1" | sed -nE 's/^ *([^ ]+) flows +([^ ]+) packets +'\
'([^ ]+) bytes.*/\1 \2 \3/p' | head -1; }
oracle() {
	"$NFTOP" --batch --read "$FB_PCAP" --format json --filter "$1" \
	    >"$T_TMP/oracle.json" 2>&1
	json_get "$T_TMP/oracle.json" '"%d %d %d" % (r["totals"]["flows"],
	    r["totals"]["packets"], r["totals"]["bytes"])'
}
prompt_is() {	# prompt_is SESSION TEXT: the prompt line reads exactly that
	wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t '$1' |
	    grep -qxE '$2 *'"
}

# --- run 1: two filters go into the history file.
start h1 100 30 LC_ALL=C -- --read "$FB_PCAP"
wait_screen 10 h1 "3.00K flows"
keys h1 /
typed h1 "proto udp"
keys h1 Enter
wait_screen 5 h1 "filter proto udp"
ok $? "a filter is applied"
keys h1 /
keys h1 C-u
typed h1 "proto tcp"
keys h1 Enter
wait_screen 5 h1 "filter proto tcp"
ok $? "a second one"
quit_ok h1 "run 1"
is "$(cat "$HIST" 2>/dev/null | tr '\n' '|')" "proto udp|proto tcp|" \
    "the history file holds both, oldest first"

# --- run 2: Up and Down walk it.
start h2 100 30 LC_ALL=C -- --read "$FB_PCAP"
wait_screen 10 h2 "3.00K flows"
keys h2 /
typed h2 "proto ic"
keys h2 Up
prompt_is h2 "filter: proto tcp"
ok $? "Up: the newest entry, from the last run"
keys h2 Up
prompt_is h2 "filter: proto udp"
ok $? "Up again: the one before"
keys h2 Up
prompt_is h2 "filter: proto udp"
ok $? "Up at the oldest stays there"
keys h2 Down
prompt_is h2 "filter: proto tcp"
ok $? "Down: forward"
keys h2 Down
prompt_is h2 "filter: proto ic"
ok $? "Down past the newest: the line being typed"

# --- completion.
keys h2 C-u
typed h2 "proto tcp an"
keys h2 Tab
prompt_is h2 "filter: proto tcp and"
ok $? "Tab completes 'an' to 'and'"
typed h2 "src "
keys h2 Tab
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t h2 | tail -1 |
    grep -q 'port.*ip\\|ip.*port'"
ok $? "Tab after 'src ' lists what may follow: $(last_line h2)"
typed h2 "po"
keys h2 Tab
prompt_is h2 "filter: proto tcp and src port"
ok $? "and completes 'po' to 'port'"

# --- an error: caret under the token, the old filter in force.
typed h2 "99999"
keys h2 Enter
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t h2 | tail -5 |
    grep -q 'out of range'"
ok $? "a bad port is refused: $(screen h2 | grep 'out of range')"
screen h2 | tail -2 >"$T_TMP/caret"
is "$(awk 'NR == 1 { p = index($0, "99999") } NR == 2 { c = index($0,
    "^^^^^") } END { print (p == c) ? "under" : p " vs " c }' \
    "$T_TMP/caret")" under "the caret marks 99999"
has h2 "filter any"
ok $? "the old filter stays in force"
keys h2 BSpace
keys h2 BSpace
keys h2 BSpace
keys h2 Enter
wait_screen 5 h2 "filter proto tcp and src port 99"
ok $? "fixed, it applies"
is "$(totals h2)" "$(oracle 'proto tcp and src port 99')" \
    "with the batch run's totals"
keys h2 /
keys h2 C-u
# An error too long for either side of the caret: whole, wrapped above.
BAD=no-such-host-name-here.example
typed h2 "proto tcp and src port 1000 and dst host $BAD"
keys h2 Enter
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t h2 | grep -q 'Can not'"
is "$(screen h2 | tail -5 | head -3 | sed 's/^ *//; s/ *$//' | tr '\n' ' ' |
    grep -o "Can not parse.*in /etc/hosts)")" \
    "Can not parse/lookup $BAD to an IP address at '$BAD' (column 42; an IPv4 or IPv6 address, or a name in /etc/hosts)" \
    "a long error is shown whole, wrapped above the prompt"
keys h2 C-u
keys h2 Enter
wait_screen 5 h2 "filter any"

# --- drill-down from each view.
keys h2 u
# top: the first source, then its first destination.
SRC=$(screen h2 | awk '$1 == "#" { c = 1; next } c && $1 == "1" { print $2;
    exit }')
keys h2 Enter
wait_screen 5 h2 "filter any > src ip $SRC"
ok $? "top: Enter pushes 'src ip $SRC'"
is "$(totals h2)" "$(oracle "src ip $SRC")" "top: totals as the batch run's"
DST=$(screen h2 | awk '$1 == "#" { c = 1; next } c && $1 == "1" { print $2;
    exit }')
keys h2 Enter
wait_screen 5 h2 "filter any > src ip $SRC > dst ip $DST"
ok $? "again: the breadcrumb grows"
is "$(totals h2)" "$(oracle "src ip $SRC and dst ip $DST")" \
    "top: totals of both pieces"
keys h2 BSpace
keys h2 BSpace
wait_line 5 h2 1 "filter any$"
ok $? "BSpace twice: back to any"
# protocols: the udp row, then a service.
keys h2 2
keys h2 Down
keys h2 Enter
wait_screen 5 h2 "filter any > proto udp"
ok $? "protocols: Enter on udp pushes 'proto udp'"
has h2 "aggregate srcip"
ok $? "and shows the top talkers"
is "$(totals h2)" "$(oracle "proto udp")" "protocols: totals of udp"
keys h2 BSpace
wait_line 5 h2 4 '^ protocol '
ok $? "BSpace: back in the protocols view"
keys h2 Down
keys h2 Down
keys h2 Down
keys h2 Enter
wait_screen 5 h2 "filter any > proto 6 and port 22"
ok $? "protocols: Enter on tcp/22 pushes 'proto 6 and port 22'"
is "$(totals h2)" "$(oracle "proto 6 and port 22")" "services: totals"
keys h2 BSpace
# exporters: the first source.
keys h2 4
keys h2 Enter
wait_screen 5 h2 "filter any > router ip 127.0.0.1"
ok $? "exporters: Enter pushes 'router ip 127.0.0.1'"
is "$(totals h2)" "$(oracle "router ip 127.0.0.1")" "exporters: totals"
keys h2 BSpace
# interfaces: the first interface.
keys h2 5
keys h2 Enter
wait_screen 5 h2 "filter any > router ip 127.0.0.1 and if 1"
ok $? "interfaces: Enter pushes 'router ip 127.0.0.1 and if 1'"
is "$(totals h2)" "$(oracle "router ip 127.0.0.1 and if 1")" \
    "interfaces: totals"
keys h2 BSpace
wait_line 5 h2 4 '^ exporter +ifindex'
ok $? "BSpace: back in the interfaces view"
# flows: the newest record's 5-tuple; the view stays.
keys h2 3
keys h2 Enter
wait_screen 5 h2 "filter any > proto "
ok $? "flows: Enter pushes the record's 5-tuple: $(line h2 1)"
wait_line 5 h2 4 '^ first seen'
ok $? "and stays in the flows view"
has h2 "1 flows"
ok $? "with that one flow"
keys h2 BSpace
# a drill under a typed filter: combined with "and".
keys h2 1
keys h2 /
keys h2 C-u
typed h2 "proto tcp"
keys h2 Enter
wait_screen 5 h2 "filter proto tcp"
SRC=$(screen h2 | awk '$1 == "#" { c = 1; next } c && $1 == "1" { print $2;
    exit }')
keys h2 Enter
wait_screen 5 h2 "filter proto tcp > src ip $SRC"
ok $? "under 'proto tcp': the breadcrumb shows the base first"
is "$(totals h2)" "$(oracle "(proto tcp) and src ip $SRC")" \
    "and the filter is '(proto tcp) and src ip $SRC'"
keys h2 /
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t h2 | tail -1 |
    grep -qF 'filter: (proto tcp) and src ip $SRC'"
ok $? "the prompt edits the whole filter"
keys h2 Escape
keys h2 BSpace
keys h2 /
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t h2 | tail -1 |
    grep -qx 'filter: proto tcp *'"
ok $? "BSpace: back to the filter as typed, 'proto tcp', not '(proto tcp)'"
keys h2 Escape

# --- the command prompt completes command names.
keys h2 :
typed h2 "sor"
keys h2 Tab
prompt_is h2 ":sort"
ok $? ": completes 'sor' to 'sort'"
keys h2 Escape

quit_ok h2 "run 2"

done_testing
