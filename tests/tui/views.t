#!/bin/sh
# tests/tui/views.t - every view, compared with golden captures.
#
# nftop reads a fixed pcap (flowblast: NetFlow v9, two observation
# domains, seed 2, a fixed start time) in a private tmux server; each
# view is captured when the screen has stopped moving and compared with
# tests/golden/ (GENERATE=1 rewrites them):
#   - 80x24, LC_ALL=C, NO_COLOR=1: ASCII drawing, no colour;
#   - 120x35 in a UTF-8 locale: block sparklines, the stacked graph, the
#     channels' aligned sparklines;
#   - 250x70: the widest layout;
#   - the sFlow interface counters of a real capture (corpus/tcpdump).
# Then resizes: every view at 40x10, 80x24 and 250x70 draws its table
# (or says the terminal is too small below 40x10); help at each size.
# Nothing is sent anywhere: --read only.

. "$(dirname "$0")/lib-tui.sh"

SFLOW="$CORPUS/tcpdump/sflow_multiple_counter_30_pdus.pcap"
VIEWS="top protocols flows exporters interfaces channels alerts"

plan 36

make_pcap

# view SESSION N NAME: switch with the number key, wait for the tab.
view() {
	keys "$1" "$2"
	settle "$1"
}

# --- 80x24, C locale, no colour.
start c80 80 24 LC_ALL=C NO_COLOR=1 -- --read "$FB_PCAP"
wait_screen 10 c80 "3.00K flows"
ok $? "80x24: the file is read"
n=1
for v in $VIEWS; do
	view c80 $n
	golden "view-$v-80x24" c80 "80x24 C NO_COLOR: $v"
	n=$((n + 1))
done
keys c80 '?'
golden "help-80x24" c80 "80x24: help"
keys c80 Escape
TM capture-pane -e -p -t c80 | grep -q "$(printf '\033')\[[34][0-7]m"
is $? 1 "80x24 NO_COLOR: no colour escapes"
quit_ok c80 "80x24"

# --- 120x35, UTF-8.
if [ -n "$UTF8" ]; then
	start u120 120 35 LC_ALL=$UTF8 -- --read "$FB_PCAP"
	wait_screen 10 u120 "3.00K flows"
	n=1
	for v in $VIEWS; do
		view u120 $n
		golden "view-$v-120x35" u120 "120x35 UTF-8: $v"
		n=$((n + 1))
	done
	TM capture-pane -e -p -t u120 | grep -q "$(printf '\033')\[[34][0-7]"
	ok $? "120x35: colours when NO_COLOR is unset"
	quit_ok u120 "120x35"
else
	for i in 1 2 3 4 5 6 7 8 9 10; do
		ok 0 "# SKIP no UTF-8 locale"
	done
fi

# --- 250x70: the widest layout of the top talkers and the flows.
start w250 250 70 LC_ALL=C -- --read "$FB_PCAP"
wait_screen 10 w250 "3.00K flows"
golden "view-top-250x70" w250 "250x70: top"
view w250 3
golden "view-flows-250x70" w250 "250x70: flows"
quit_ok w250 "250x70"

# --- sFlow interface counters beside the flow totals.
if [ -r "$SFLOW" ]; then
	start sf 120 35 LC_ALL=C -- --read "$SFLOW"
	wait_screen 10 sf "7 flows"
	view sf 5
	golden "view-interfaces-sflow" sf "sFlow counters: interfaces"
	view sf 4
	golden "view-exporters-sflow" sf "sFlow agents: exporters"
	quit_ok sf "sFlow"
else
	for i in 1 2 3 4; do
		ok 0 "# SKIP $SFLOW not readable"
	done
fi

# --- resizes: every view at each size shows its column names.
start rs 80 24 LC_ALL=C -- --read "$FB_PCAP"
wait_screen 10 rs "3.00K flows"
bad=""
for size in 40x10 250x70 80x24 120x35; do
	TM resize-window -t rs -x "${size%x*}" -y "${size#*x}"
	n=1
	for v in $VIEWS; do
		keys rs $n
		case $v in
		top) want="bytes" ;;
		protocols) want="protocol" ;;
		flows) want="bytes" ;;
		exporters) want="exporter" ;;
		interfaces) want="exporter" ;;
		channels) want="channel" ;;
		alerts) want="state" ;;
		esac
		wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t rs |
		    sed -n 5p | grep -q '$want'" || bad="$bad $v@$size"
		n=$((n + 1))
	done
done
is "$bad" "" "every view draws its table at 40x10, 250x70, 80x24, 120x35"
TM resize-window -t rs -x 39 -y 10
wait_screen 5 rs "too small: 39x10"
ok $? "39x10 is too small, and says so"
TM resize-window -t rs -x 40 -y 9
wait_screen 5 rs "too small: 40x9"
ok $? "40x9 is too small, and says so"
TM resize-window -t rs -x 80 -y 24
wait_screen 5 rs "1 Top"
ok $? "back to 80x24"
quit_ok rs "resize"

done_testing
