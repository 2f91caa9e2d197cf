#!/bin/sh
# tests/tui/config.t - the settings file, the user's key bindings, themes.
#
# $XDG_CONFIG_HOME/nftop/config sets the window, aggregate, order, theme,
# sparklines, rates, numbers, names, the mouse and the listeners;
# command-line options override it; --config FILE reads another file; a
# bad line fails at start with FILE:LINE.  $XDG_CONFIG_HOME/nftop/keys
# binds and unbinds keys on top of the keymap.  Themes: 256 colours, mono,
# NO_COLOR.  --read of the fixed pcap, and one loopback listener.

. "$(dirname "$0")/lib-tui.sh"

plan 36

make_pcap
CFG="$T_TMP/config/nftop/config"
ESC=$(printf '\033')
printf 'ssh\t22/tcp\nhttps\t443/tcp\ndomain\t53/udp\n' >"$T_TMP/services"

cat >"$CFG" <<'EOF'
# nftop settings for the test
window 5m
aggregate dstport   # where traffic goes
order pps
theme mono
sparkline ascii
rates bytes
numbers exact
services on
mouse off
EOF
start c 120 35 ${UTF8:+LC_ALL=$UTF8} NFTOP_SERVICES="$T_TMP/services" -- \
    --read "$FB_PCAP"
wait_screen 10 c "21728 packets"
ok $? "numbers exact"
has c "window 5m"
ok $? "window 5m"
has c "aggregate dstport"
ok $? "aggregate dstport"
has c "order pps"
ok $? "order pps (by the 10s packet rate)"
has c "packets/s"
ok $? "rates follow the order: packets/s"
keys c B
wait_screen 5 c "bytes/s"
ok $? "rates bytes: bytes/s when ordered by bytes"
screen c | grep -qE '^ +[0-9]+ +ssh '
ok $? "services on: port names"
! TM capture-pane -e -p -t c | grep -q "$ESC\[[34][0-7]m"
ok $? "theme mono: no colours"
! line c 3 | grep -q '[▁▂▃▄▅▆▇█]'
ok $? "sparkline ascii, even in a UTF-8 locale"
quit_ok c "settings"

# --- options override the file; --config reads another.
start o 120 35 LC_ALL=C -- --read "$FB_PCAP" --window 10s --aggregate srcip \
    --order bps
wait_screen 10 o "window 10s"
has o "aggregate srcip"
ok $? "--window and --aggregate win over the file"
has o "order bps"
ok $? "--order bps (a rate, as the file's pps) wins over the file"
quit_ok o "override"

# --- an install under any PREFIX finds its keymaps, moved or not: the
# layout `make install PREFIX=X` makes (X/bin, X/share/nftop/keymaps),
# built by hand from the binary under test, then moved.
mkdir -p "$T_TMP/pfx/bin" "$T_TMP/pfx/share/nftop/keymaps"
cp "$NFTOP" "$T_TMP/pfx/bin/nftop"
cp "$REPO_DIR"/keymaps/*.keys "$T_TMP/pfx/share/nftop/keymaps/"
mv "$T_TMP/pfx" "$T_TMP/moved"
NFTOP_BUILT=$NFTOP
NFTOP=$T_TMP/moved/bin/nftop
start i 120 35 LC_ALL=C -- --read "$FB_PCAP" --aggregate srcip
wait_screen 10 i "aggregate srcip"
keys i '?'
wait_screen 5 i "nftop keys, from $T_TMP/moved/share/nftop/keymaps/default.keys"
ok $? "installed under a PREFIX, then moved: its own keymap is read"
keys i Escape
quit_ok i "installed"
NFTOP=$NFTOP_BUILT

printf 'aggregate proto\nsparkline braille\n' >"$T_TMP/other.conf"
start f 120 35 ${UTF8:+LC_ALL=$UTF8} -- --config "$T_TMP/other.conf" \
    --read "$FB_PCAP"
wait_screen 10 f "aggregate proto"
ok $? "--config FILE is read instead"
if [ -n "$UTF8" ]; then
	# The title comes before the file is read: wait for its records.
	wait_screen 10 f "3.00K flows"
	wait_line 10 f 3 '[⡀⢀⣀⣠⣤⣴⣶⣾⣿⡄⡆⡇⢠⢰⢸⣄⣆⣇⣦⣧⣷]'
	ok $? "sparkline braille: two seconds a cell"
else
	ok 0 "# SKIP no UTF-8 locale for braille"
fi
keys f q

# --- bad settings fail at start with FILE:LINE.
printf 'window 1m\nfrobnicate 1\n' >"$T_TMP/bad1.conf"
start b1 120 10 -- --config "$T_TMP/bad1.conf" --read "$FB_PCAP"
wait_for 10 dead b1
exited b1 "bad1.conf:2: unknown setting 'frobnicate'"
ok $? "an unknown setting: FILE:LINE"
exited b1 "nftop exited 1"
ok $? "and exit status 1"
printf 'window 1m\ntheme pink\n' >"$T_TMP/bad2.conf"
start b2 120 10 -- --config "$T_TMP/bad2.conf" --read "$FB_PCAP"
wait_for 10 dead b2
exited b2 "bad2.conf:2: theme: 'pink' is not default, 256 or mono"
ok $? "a bad value: FILE:LINE and what it wants"
printf 'window forever\n' >"$T_TMP/bad3.conf"
start b3 120 10 -- --config "$T_TMP/bad3.conf" --read "$FB_PCAP"
wait_for 10 dead b3
exited b3 "bad3.conf:1: bad duration 'forever'"
ok $? "a bad window: FILE:LINE"

# --- listeners from the file, when the command line names none.
PORT=$(free_udp_port)
printf 'listen 127.0.0.1:%s\ntheme 256\n' "$PORT" >"$CFG"
start l 120 35 -- 
wait_screen 10 l "waiting for flow records on udp 127.0.0.1:$PORT"
ok $? "listen from the file"
TM capture-pane -e -p -t l | grep -q "$ESC\[[34]8;5;"
ok $? "theme 256: 256-colour escapes"
keys l c
wait_screen 5 l "theme mono"
! TM capture-pane -e -p -t l | grep -q "$ESC\[[34]8;5;\|$ESC\[[34][0-7]m"
ok $? "c: the mono theme has no colour"
keys l q
wait_for 10 dead l
rm -f "$CFG"

# --- the user's keys on top of the keymap.
cat >"$T_TMP/config/nftop/keys" <<'EOF'
unbind q
bind x quit
bind F2 view flows
EOF
start k 120 35 LC_ALL=C -- --read "$FB_PCAP"
wait_screen 10 k "3.00K flows"
keys k q
wait_screen 5 k "q is not bound"
ok $? "unbind q"
keys k F2
wait_line 5 k 4 '^ first seen'
ok $? "bind F2 view flows"
keys k '?'
wait_screen 5 k "/nftop/keys"
ok $? "help names the user's file too"
has k " 3 F2      view flows"
ok $? "and lists its bindings beside the keymap's"
keys k Escape
keys k x
wait_for 10 dead k
exited k "nftop exited 0"
ok $? "bind x quit"

# --- bash completion (completion/nftop.bash, installed by make install).
COMP=$(bash -c '. "$1"; COMP_WORDS=(nftop --aggregate srcip,ds);
    COMP_CWORD=2; _nftop; echo "${COMPREPLY[*]}"' sh \
    "$REPO_DIR/completion/nftop.bash")
case " $COMP " in *" srcip,dstport "*) r=0 ;; *) r=1 ;; esac
ok $r "bash completion: aggregate keys after a comma ($COMP)"
COMP=$(bash -c '. "$1"; COMP_WORDS=(nftop --win); COMP_CWORD=1; _nftop;
    echo "${COMPREPLY[*]}"' sh "$REPO_DIR/completion/nftop.bash")
is "$COMP" "--window" "bash completion: options"
# Every long option --help names, and every key --aggregate takes.
want=$("$NFTOP" --help 2>&1 | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' |
    grep -oE -- '--[a-z-]+' | sort -u | tr '\n' ' ')
COMP=$(bash -c '. "$1"; COMP_WORDS=(nftop --); COMP_CWORD=1; _nftop;
    printf "%s\n" "${COMPREPLY[@]}"' sh "$REPO_DIR/completion/nftop.bash" |
    sort -u | tr '\n' ' ')
is "$COMP" "$want" "bash completion: every option of --help"
missing=""
for k in $("$NFTOP" --help 2>&1 | sed -n '/--aggregate KEYS/,/prefixes/p' |
    sed -e 's/.*KEYS//' -e 's/;.*//' | tr ' ' '\n' | grep -E '^[a-z0-9]+$'); do
	COMP=$(bash -c '. "$1"; COMP_WORDS=(nftop --aggregate "$2");
	    COMP_CWORD=2; _nftop; echo "${COMPREPLY[*]}"' sh \
	    "$REPO_DIR/completion/nftop.bash" "$k")
	case " $COMP " in *" $k "*) ;; *) missing="$missing $k" ;; esac
done
is "$missing" "" "bash completion: every aggregate key of --help"

done_testing
