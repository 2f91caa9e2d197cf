#!/bin/sh
# tests/bench/tui-collector.sh PORT DIR - nftop listening on PORT with its
# screen drawing, headless in a private tmux server, for ingest.sh (run by
# bench-ingest.sh as its collector).  Runs until TERM or INT, then stops
# nftop by its PID; nftop's frame log (DIR/frames, NFTOP_FRAME_LOG) ends
# with the records it took in.  Uses NFTOP and BUF from the environment.
set -u
port=$1 dir=$2
sock="nftop-ingest-$$"
TM() { tmux -L "$sock" -f /dev/null "$@"; }
TM new-session -d -s i -x 160 -y 50 "exec env LC_ALL=C TERM=xterm \
XDG_CONFIG_HOME='$dir' XDG_STATE_HOME='$dir' NFTOP_FRAME_LOG='$dir/frames' \
'$NFTOP' --listen 127.0.0.1:$port --rcvbuf ${BUF:-4194304} --window all" ||
    exit 1
pid=$(TM display -p -t i '#{pane_pid}')
stop() {
	kill -TERM "$pid" 2>/dev/null
	n=100
	while [ "$n" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		n=$((n - 1))
	done
	TM kill-server >/dev/null 2>&1
	exit 0
}
trap stop TERM INT
while kill -0 "$pid" 2>/dev/null; do
	sleep 0.2 &
	wait $!
done
TM kill-server >/dev/null 2>&1
