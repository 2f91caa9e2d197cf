#!/bin/sh
# tests/tui/strings.t - hostile strings against the terminal: reliability.md
# cases C81 (PTR answers) and C83 (the filter prompt), and a DNS server
# that never answers (a fault: counted, shown on the exporters screen).
#
# C81: fake_dns.py --hostile answers every PTR query with an attack: an
# OSC window-title sequence, a screen clear with CR LF and a forged line,
# U+202E with the C1 CSI (U+009B) and invalid UTF-8, a '.' inside a label
# and a 253-character name.  With names on (n), each shows escaped (\x1b,
# \x07, \x0d\x0a, \u{202e}, \u{9b}, \xff), on its own row, cut to the
# screen; the long name is refused by libevent's resolver (its PTR buffer
# is HOST_NAME_MAX, 64) and the row keeps its address;
# the pane title tmux keeps (#{pane_title}) is unchanged, the screen is
# not cleared and no line starts with the forged text.  libevent's
# resolver joins labels with '.', so a dot inside a label reads as a
# label boundary (reliability.md row 48): shown, never a crash.
# C83: 64 KiB pasted into the filter prompt with ESC sequences and
# invalid UTF-8: the prompt keeps PROMPT_MAX (1024) characters, the
# escape sequences are dropped whole (ui.c: an ESC followed at once by
# more input is a sequence, not the Escape key, so no pasted byte runs a
# command), Enter gives an error and leaves the text, Escape restores the
# old filter, the screen is intact and q quits with status 0.
# Silent DNS: with names on for a server that never answers, once the
# resolver's 2 s timeout passes the exporters screen says "faults
# survived" (src/fault.h counts dns_timeouts).

. "$(dirname "$0")/lib-tui.sh"

plan 20

make_pcap
FAKE="$TUI_DIR/fake_dns.py"

spawn python3 "$FAKE" "$T_TMP/dns.port" "$T_TMP/dns.log" --hostile \
    --lifetime 90
wait_for 10 test -s "$T_TMP/dns.port"
ok $? "the hostile DNS server is up"

start h 120 35 ${UTF8:+LC_ALL=$UTF8} \
    NFTOP_DNS_SERVER="127.0.0.1:$(cat "$T_TMP/dns.port")" -- \
    --read "$FB_PCAP"
wait_screen 10 h "3.00K flows"
TM select-pane -t h -T "strings-test-title"
HEAD=$(line h 0)
keys h n
wait_screen 10 h 'PWNED\x07'
has h '\x1b]0;PWNED\x07'
ok $? "the OSC title sequence shows escaped: \\x1b]0;PWNED\\x07"
is "$(TM display -p -t h '#{pane_title}')" "strings-test-title" \
    "the window title is unchanged"
wait_screen 5 h '\x1b[2J\x0d\x0aFORGED'
ok $? "the screen clear and CR LF show escaped: \\x1b[2J\\x0d\\x0aFORGED"
settle h
is "$(line h 0)" "$HEAD" "the screen was not cleared: the title bar stands"
screen h | grep -q '^FORGED'
is $? 1 "no line starts with the forged text"
wait_screen 5 h '\u{202e}\u{9b}\xff\xfe'
ok $? "U+202E, U+009B and invalid UTF-8 show as \\u{202e}\\u{9b}\\xff\\xfe"
wait_screen 5 h 'dot.example'
ok $? "a dot inside a label shows as a label boundary (h219.dot.example)"
has h "10.136.127.183"
ok $? "a 253-character name (over the resolver's 63) leaves the address"
quit_ok h "hostile names"

# --- C83: a hostile paste at the filter prompt.
python3 -c '
import sys
sys.stdout.buffer.write(b"proto tcp and " + b"A" * 65536 +
    b"\x1b]0;PWNED\x07\x1b[2J\xff\xfe\xe2\x80\xae")' >"$T_TMP/paste"
start p 120 35 ${UTF8:+LC_ALL=$UTF8} -- --read "$FB_PCAP"
wait_screen 10 p "3.00K flows"
TM select-pane -t p -T "strings-test-title"
HEAD=$(line p 0)
keys p /
TM load-buffer -b evil "$T_TMP/paste"
TM paste-buffer -b evil -t p
sleep 1
keys p Enter
settle p
alive_pane() { ! dead p; }
alive_pane
ok $? "64 KiB pasted into the prompt: nftop is still running"
screen p | grep -q '^filter: AAAA*$'
ok $? "the prompt stays open with the text, cut at PROMPT_MAX"
screen p | grep -q 'PWNED'
is $? 1 "the pasted escape sequences were dropped, not typed"
is "$(TM display -p -t p '#{pane_title}')" "strings-test-title" \
    "the window title is unchanged"
keys p Escape
settle p
has p "order bytes  filter any"
ok $? "no pasted byte ran a command: order and filter as before"
is "$(line p 0)" "$HEAD" "the screen is intact: the title bar stands"
quit_ok p "hostile paste"

# --- a DNS server that never answers: counted as a fault.
spawn python3 "$FAKE" "$T_TMP/silent.port" "$T_TMP/silent.log" --silent \
    --lifetime 60
wait_for 10 test -s "$T_TMP/silent.port"
start s 120 35 LC_ALL=C \
    NFTOP_DNS_SERVER="127.0.0.1:$(cat "$T_TMP/silent.port")" -- \
    --read "$FB_PCAP"
wait_screen 10 s "3.00K flows"
keys s n
wait_for 5 test -s "$T_TMP/silent.log"
keys s 4
wait_screen 10 s "faults survived"
ok $? "the exporters screen counts the unanswered lookups: faults survived"

done_testing
