#!/bin/sh
# tests/tui/resize.t - a resize storm: 400 window sizes in a few seconds,
# from 1x1 and 3x2 up to 250x70, while nftop shows a file's traffic and
# the demo exporter sends live.  nftop must stay up, draw the last size
# whole (the title bar, the totals, the key bar on its last line), take
# keys at once, and quit with status 0 and the terminal restored.

. "$(dirname "$0")/lib-tui.sh"

plan 9

make_pcap
start r 100 30 LC_ALL=C -- --read "$FB_PCAP" --demo
wait_screen 10 r "3.00K flows"
ok $? "nftop is up at 100x30"

i=0
while [ "$i" -lt 400 ]; do
	case $((i % 8)) in
	0) w=1 h=1 ;;
	1) w=250 h=70 ;;
	2) w=3 h=2 ;;
	3) w=80 h=24 ;;
	4) w=$((20 + i % 200)) h=$((2 + i % 60)) ;;
	5) w=10 h=40 ;;
	6) w=200 h=3 ;;
	*) w=$((1 + i % 250)) h=$((1 + i % 70)) ;;
	esac
	TM resize-window -t r -x "$w" -y "$h"
	i=$((i + 1))
done
TM resize-window -t r -x 120 -y 35
sleep 1
dead r
is $? 1 "nftop survives 400 resizes"
settle r
wait_for 5 sh -c "tmux -L '$SOCK' capture-pane -p -t r | sed -n 1p |
    grep -q '1 Top.*5 Interfaces'"
ok $? "the title bar is drawn for the last size"
screen r | grep -qE '^ *[0-9.]+[KMG]? flows +[0-9.]+[KMG]? packets'
ok $? "the totals line is drawn"
is "$(screen r | wc -l)" 35 "the screen has the final 35 lines"
last_line r | grep -q 'q quit'
ok $? "the key bar is on the last of them"
keys r 2
wait_screen 5 r "proto"
ok $? "keys work at once (2: the protocols view)"
quit_ok r "after the storm"
