# tests/tui/lib-tui.sh - helpers for the terminal UI tests: a private
# tmux server, panes that run nftop, screen captures, golden files.
#
# Source it after naming the test:  . "$(dirname "$0")/lib-tui.sh"
# Every pane runs nftop with its own XDG_CONFIG_HOME and XDG_STATE_HOME
# under $T_TMP, so no user setting, keymap or history leaks in or out.
# GENERATE=1 rewrites the golden captures (tests/golden/*.txt).

. "$(dirname "$0")/../lib.sh"

need tmux python3

TUI_DIR=$(cd "$(dirname "$0")" && pwd)
GOLDEN_DIR=$(cd "$TUI_DIR/../golden" && pwd)
REPO_DIR=$(cd "$TUI_DIR/../.." && pwd)
SOCK="nftop-$(basename "$0" .t)-$$"

# flowblast: built by `make check`; else build a private copy.
if [ ! -x "$FLOWBLAST" ]; then
	FLOWBLAST="$T_TMP/flowblast"
	cc -O2 -o "$FLOWBLAST" "$SHARED/tools/flowblast.c" -lm 2>/dev/null ||
	    skip_all "flowblast not built and cannot be built"
fi

TM() { tmux -L "$SOCK" -f "$T_TMP/tmux.conf" "$@"; }
trap 'TM kill-server >/dev/null 2>&1; t_cleanup' EXIT

# tmux's default TERM inside panes is screen or tmux-256color; both have
# the mouse (kmous) and colours nftop uses.
cat >"$T_TMP/tmux.conf" <<'EOF'
set -g remain-on-exit on
set -g status off
set -g default-terminal tmux-256color
EOF
mkdir -p "$T_TMP/config/nftop" "$T_TMP/state" "$T_TMP/tmp"
# Run as root, nftop becomes "nobody" once its sockets and files are
# open: it must still reach $TMPDIR, which anyone may write (as /tmp).
chmod 711 "$T_TMP"
chmod 1777 "$T_TMP/tmp"
# The pane runs this: nftop, then its exit status for the test to read.
# tmux may clear what a pane prints in its first moments (it sizes the
# pane after starting it), hence the short sleep before nftop starts.
cat >"$T_TMP/run.sh" <<'EOF'
#!/bin/sh
sleep 0.2
"$@"
echo "nftop exited $?"
EOF
chmod +x "$T_TMP/run.sh"

UTF8=$(locale -a 2>/dev/null | grep -iE '^c\.utf-?8$' | head -1)

# start SESSION COLS LINES ENV-ASSIGNMENTS... -- NFTOP-ARGS...
start() {
	_s=$1 _w=$2 _h=$3
	shift 3
	_env=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_env="$_env '$1'"
		shift
	done
	[ "$1" = "--" ] && shift
	_args=""
	for _a in "$@"; do
		_args="$_args '$_a'"
	done
	TM new-session -d -s "$_s" -x "$_w" -y "$_h" -c "$T_TMP" \
	    "env XDG_CONFIG_HOME='$T_TMP/config' XDG_STATE_HOME='$T_TMP/state'\
 TMPDIR='$T_TMP/tmp' $_env '$T_TMP/run.sh' '$NFTOP' $_args"
}

# screen SESSION: the pane's text now.
screen() { TM capture-pane -p -t "$1"; }
# has SESSION TEXT: the screen shows TEXT (a fixed string).
has() { screen "$1" | grep -qF -- "$2"; }
hasnt() { ! has "$1" "$2"; }
# line SESSION N: line N (0-based) of the screen.
line() { screen "$1" | sed -n "$(($2 + 1))p"; }
last_line() { screen "$1" | sed -n '$p'; }
keys() { TM send-keys -t "$1" "$2"; }
typed() { TM send-keys -t "$1" -l "$2"; }
dead() { [ "$(TM display -p -t "$1" '#{pane_dead}')" = 1 ]; }
# exited SESSION TEXT: a dead pane showed TEXT (its history counts too:
# tmux scrolls a dead pane up a line for its "Pane is dead" notice).
exited() { TM capture-pane -p -S - -t "$1" | grep -qF -- "$2"; }
# wait_screen SECONDS SESSION TEXT
wait_screen() { wait_for "$1" has "$2" "$3"; }
wait_line() {	# wait_line SECONDS SESSION N REGEX
	_n=$(($1 * 10))
	while [ "$_n" -gt 0 ]; do
		line "$2" "$3" | grep -qE -- "$4" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# settle SESSION: waits (5 s at most) until two captures 0.3 s apart agree.
settle() {
	_n=17
	while [ "$_n" -gt 0 ]; do
		screen "$1" >"$T_TMP/settle.a"
		sleep 0.3
		screen "$1" >"$T_TMP/settle.b"
		cmp -s "$T_TMP/settle.a" "$T_TMP/settle.b" && return 0
		_n=$((_n - 1))
	done
	return 1
}

# golden NAME SESSION DESCRIPTION: the screen equals tests/golden/NAME.txt
# (the temporary directory written as TMP).
golden() {
	settle "$2"
	screen "$2" | sed -e "s|$T_TMP|TMP|g" -e "s|$REPO_DIR|REPO|g" \
	    >"$T_TMP/$1.txt"
	if [ -n "$GENERATE" ]; then
		cp "$T_TMP/$1.txt" "$GOLDEN_DIR/$1.txt"
		diag "wrote tests/golden/$1.txt"
	fi
	diff -u "$GOLDEN_DIR/$1.txt" "$T_TMP/$1.txt" >"$T_TMP/$1.diff" 2>&1
	ok $? "$3 (tests/golden/$1.txt)"
	[ -s "$T_TMP/$1.diff" ] && sed 's/^/# /' "$T_TMP/$1.diff" | head -40
	return 0
}

# quit SESSION: q, then the pane's exit status and the terminal restored.
quit_ok() {
	keys "$1" q
	wait_for 10 dead "$1"
	exited "$1" "nftop exited 0"
	ok $? "$2: q quits with status 0"
	is "$(TM display -p -t "$1" '#{alternate_on}')" 0 \
	    "$2: the terminal is restored"
}

# click SESSION X Y: a left click at 0-based column X, line Y, as xterm
# mouse reports (what ncurses asks tmux for): press, then release.
click() {
	_b=$(printf '\\%03o\\%03o' $((33 + $2)) $((33 + $3)))
	TM send-keys -t "$1" -l "$(printf "\033[M $_b")"
	TM send-keys -t "$1" -l "$(printf "\033[M#$_b")"
}
# wheel SESSION up|down
wheel() {
	_c=$([ "$2" = up ] && echo 96 || echo 97)
	TM send-keys -t "$1" -l "$(printf "\033[M\\$(printf %03o $_c)!!")"
}

# The deterministic input every view test reads: NetFlow v9 from two
# observation domains, 10% IPv6, 3000 records over a minute of file time.
FB_PCAP="$T_TMP/fb9.pcap"
make_pcap() {
	"$FLOWBLAST" -q -f v9 -s 2 -S 1700000000 -n 3000 -r 50 -E 2 \
	    -w "$FB_PCAP" >/dev/null
}
