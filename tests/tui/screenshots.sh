#!/bin/sh
# tests/tui/screenshots.sh - `make screenshots`: every view of the real
# program, as text and as a picture, into screenshots/.
#
# nftop runs with its built-in demo exporter (NetFlow v5, v9, IPFIX and
# an sFlow switch, over loopback) in a private tmux server at 120x35 in a
# UTF-8 locale; after some seconds of traffic each view is captured:
# NAME.txt is the text, NAME.png is rendered from the captured escape
# sequences with Debian tools: aha (ANSI to HTML), then wkhtmltoimage or
# headless chromium (HTML to PNG).  Without them only the text is made.
# The run is bounded (about 40 s) and kills only what it started.
set -e

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NFTOP=${NFTOP:-$ROOT/nftop}
OUT=${OUT:-$ROOT/screenshots}
WARMUP=${WARMUP:-20}
SOCK="nftop-shots-$$"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nftop-shots.XXXXXX")
chmod 711 "$TMP"

TM() { tmux -L "$SOCK" -f "$TMP/tmux.conf" "$@"; }
cleanup() {
	TM kill-server >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v tmux >/dev/null || { echo "screenshots: tmux is needed" >&2; exit 1; }
[ -x "$NFTOP" ] || { echo "screenshots: build nftop first" >&2; exit 1; }
UTF8=$(locale -a 2>/dev/null | grep -iE '^c\.utf-?8$' | head -1)
RENDER=""
if command -v aha >/dev/null; then
	if command -v wkhtmltoimage >/dev/null; then
		RENDER=wkhtmltoimage
	else
		for c in chromium-headless-shell chromium chromium-browser; do
			command -v "$c" >/dev/null && RENDER=$c && break
		done
	fi
fi
[ -n "$RENDER" ] || echo "screenshots: no aha with wkhtmltoimage or" \
    "chromium: text captures only" >&2

cat >"$TMP/tmux.conf" <<'EOF'
set -g status off
set -g default-terminal tmux-256color
EOF
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET,
socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$OUT" "$TMP/config" "$TMP/state"
TM new-session -d -s s -x 120 -y 35 -c "$TMP" \
    "env ${UTF8:+LC_ALL=$UTF8} XDG_CONFIG_HOME=$TMP/config \
XDG_STATE_HOME=$TMP/state '$NFTOP' --demo --listen 127.0.0.1:$PORT \
--window 1m"
echo "screenshots: $WARMUP s of demo traffic..."
sleep "$WARMUP"

# shot NAME: the pane now, as NAME.txt and NAME.png.
shot() {
	sleep 1
	TM capture-pane -p -t s >"$OUT/$1.txt"
	TM capture-pane -e -p -t s >"$TMP/$1.ans"
	if [ -n "$RENDER" ]; then
		aha --black --title "nftop: $1" <"$TMP/$1.ans" |
		    sed 's|<pre>|<pre style="font-family: DejaVu Sans Mono,'\
' monospace; font-size: 13px; line-height: 1.15">|' >"$TMP/$1.html"
		case $RENDER in
		wkhtmltoimage)
			QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$TMP" \
			    wkhtmltoimage --quiet --quality 30 --width 1020 \
			    "$TMP/$1.html" "$OUT/$1.png" 2>/dev/null ;;
		*)
			"$RENDER" --headless --no-sandbox --disable-gpu \
			    --hide-scrollbars --window-size=1020,640 \
			    --screenshot="$OUT/$1.png" "file://$TMP/$1.html" \
			    >/dev/null 2>&1 ;;
		esac
	fi
	echo "screenshots: $OUT/$1.txt${RENDER:+ and .png}"
}
key() { TM send-keys -t s "$@"; }

shot top
key 2; shot protocols
key 3; shot flows
key 4; shot exporters
key 5; shot interfaces
key 6; shot channels
key 1; key Enter; shot drill
key BSpace; key '?'; shot help
key Escape; key /; TM send-keys -t s -l 'proto tcp and dst prt 443'
key Enter; shot filter-error
key Escape; key q

# The alerts view needs an attack: the port scan of the analysis test's
# fixed pcap (tests/tui/analysis_pcap.py), read from the file.
python3 "$ROOT/tests/tui/analysis_pcap.py" "$TMP/analysis.pcap"
TM kill-session -t s >/dev/null 2>&1 || true
TM new-session -d -s s -x 120 -y 35 -c "$TMP" \
    "env ${UTF8:+LC_ALL=$UTF8} XDG_CONFIG_HOME=$TMP/config \
XDG_STATE_HOME=$TMP/state '$NFTOP' --read '$TMP/analysis.pcap' --window 1m"
sleep 2
key 7; shot alerts
key J; shot alert-jump
key q
