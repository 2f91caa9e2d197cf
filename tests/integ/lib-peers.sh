# tests/integ/lib-peers.sh - helpers for the integration tests, on top of
# tests/lib.sh.  Source both:
#
#     . "$(dirname "$0")/../lib.sh"
#     . "$(dirname "$0")/lib-peers.sh"
#
# Every process goes through lib.sh's spawn (ended by PID at exit), every
# wait is bounded, and only loopback addresses are used.  Python helpers
# live in nfutil.py next to this file (on PYTHONPATH for inline snippets).

# shellcheck disable=SC2034  # STOP_RC, NFTOP_PORT ... are read by the tests
INTEG_DIR=$(cd "$(dirname "$0")" && pwd)
STOP_RC=
export PYTHONPATH="$INTEG_DIR${PYTHONPATH:+:$PYTHONPATH}"
export TZ=UTC			# nfdump prints local time
export PYTHONDONTWRITEBYTECODE=1	# no __pycache__ in the tree
NFUTIL="$INTEG_DIR/nfutil.py"

# The plan goes at the end (TAP allows it): a script that dies half way
# then has no plan, and prove fails it.
end_testing() {
	plan "$T_NUM"
	done_testing
}

# skip_test DESCRIPTION REASON: a TAP test counted as skipped.
skip_test() {
	T_NUM=$((T_NUM + 1))
	echo "ok $T_NUM - $1 # SKIP $2"
}

# pychecks CMD...: run a checker (a python3 snippet using nfutil.Checks)
# and turn its PASS/FAIL/SKIP lines into TAP results.  A checker that
# crashes is one more failing test, with its output as diagnostics.
pychecks() {
	local out=$T_TMP/pychecks.$$.out rc st desc detail
	"$@" >"$out" 2>&1
	rc=$?
	while IFS=$'\t' read -r st desc detail; do
		case $st in
		PASS) ok 0 "$desc" ;;
		FAIL) ok 1 "$desc"; [ -n "$detail" ] && diag "  $detail" ;;
		SKIP) skip_test "$desc" "$detail" ;;
		'#'*) echo "$st${desc:+ $desc}${detail:+ $detail}" ;;
		*) echo "# $st $desc $detail" ;;
		esac
	done <"$out"
	if [ "$rc" -ne 0 ]; then
		ok 1 "python checker exited with status $rc"
	fi
}

# alive PID: the process exists and is not a zombie (kill -0 is true for
# an exited child that was not reaped yet).
alive() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	[ "${s%% *}" != Z ]
}

# proc_stop PID [SIGNAL] [TIMEOUT_S]: signal PID, wait for it (bounded),
# SIGKILL it if it does not go.  Sets STOP_RC to its exit status, or to
# "killed" when it had to be killed.
proc_stop() {
	local pid=$1 sig=${2:-INT} t=${3:-10} n
	kill -s "$sig" "$pid" 2>/dev/null
	n=$((t * 10))
	while alive "$pid" && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	if alive "$pid"; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		STOP_RC=killed
		return 1
	fi
	wait "$pid" 2>/dev/null
	STOP_RC=$?
	return 0
}

# wait_until SECONDS CMD...: poll CMD every 0.2 s until it succeeds, for at
# most SECONDS of wall time (lib.sh's wait_for counts polls, which a slow
# CMD such as python3 on a busy box stretches many times over).
wait_until() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.2
	done
}

# wait_exit PID TIMEOUT_S: wait for a process to end by itself (bounded);
# sets STOP_RC like proc_stop (SIGKILL and "killed" after the timeout).
wait_exit() {
	local pid=$1 n=$(($2 * 10))
	while alive "$pid" && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	if alive "$pid"; then
		proc_stop "$pid" KILL 1
		STOP_RC=killed
		return 1
	fi
	wait "$pid" 2>/dev/null
	STOP_RC=$?
	return 0
}

# nftop_start NAME ARGS...: start `nftop --batch ARGS` (ARGS should listen
# on an ephemeral port, e.g. --listen 127.0.0.1:0), stdout to
# $T_TMP/NAME.out, stderr to $T_TMP/NAME.err.  Waits up to 10 s for its
# "listening on udp ADDR:PORT" line; sets NFTOP_PID and NFTOP_PORT (the
# first listener's port).  Returns 1 if it did not come up.
nftop_start() {
	local name=$1 n=100
	shift
	spawn "$NFTOP" --batch "$@" >"$T_TMP/$name.out" 2>"$T_TMP/$name.err"
	NFTOP_PID=$SPAWNED
	NFTOP_PORT=
	while [ "$n" -gt 0 ]; do
		if grep -q 'listening on udp' "$T_TMP/$name.err"; then
			NFTOP_PORT=$(sed -n 's/.*listening on udp .*:\([0-9][0-9]*\) (.*/\1/p' \
			    "$T_TMP/$name.err" | head -n 1)
			break
		fi
		alive "$NFTOP_PID" || break
		sleep 0.1
		n=$((n - 1))
	done
	if [ -z "$NFTOP_PORT" ]; then
		diag "nftop $name did not start: $(cat "$T_TMP/$name.err")"
		return 1
	fi
	return 0
}

# nftop_records NAME: records (summed over sources) in NAME's last report.
nftop_records() {
	python3 "$NFUTIL" records "$T_TMP/$1.out"
}

# wait_records NAME N TIMEOUT_S: wait until NAME's reports (run it with
# --interval 1) count at least N records.
wait_records() {
	local name=$1 want=$2 n=$(($3 * 5)) got=0
	while [ "$n" -gt 0 ]; do
		got=$(nftop_records "$name")
		[ "$got" -ge "$want" ] && return 0
		sleep 0.2
		n=$((n - 1))
	done
	diag "$name: $got records after $3 s, expected $want"
	return 1
}

# udp_port_hex PORT: the port as /proc/net/udp writes it.
udp_port_hex() { printf '%04X' "$1"; }

# udp_bound PORT: some socket is bound to UDP PORT (IPv4 or IPv6).
udp_bound() {
	local hex
	hex=$(udp_port_hex "$1")
	awk -v h=":$hex" 'substr($2, length($2) - 4) == h { f = 1 } END { exit !f }' \
	    /proc/net/udp /proc/net/udp6 2>/dev/null
}

# udp_drained PORT: the receive queue of the socket on UDP PORT is empty.
udp_drained() {
	local hex
	hex=$(udp_port_hex "$1")
	awk -v h=":$hex" 'substr($2, length($2) - 4) == h {
		split($5, q, ":"); if (q[2] != "00000000") busy = 1 }
		END { exit busy }' /proc/net/udp /proc/net/udp6 2>/dev/null
}

# nfcapd_start DIR: nfcapd on a free 127.0.0.1 port writing into DIR (log
# in DIR.log); sets NFCAPD_PID and NFCAPD_PORT.  Started as a simple
# command so the PID is nfcapd's own (peers.md, gotcha 1).
nfcapd_start() {
	mkdir -p "$1"
	NFCAPD_PORT=$(free_udp_port)
	spawn nfcapd -w "$1" -b 127.0.0.1 -p "$NFCAPD_PORT" -t 3600 -B 8388608 \
	    >"$1.log" 2>&1
	NFCAPD_PID=$SPAWNED
	wait_for 10 udp_bound "$NFCAPD_PORT" || {
		diag "nfcapd did not bind: $(cat "$1.log")"
		return 1
	}
}

# nfcapd_stop: let the socket drain, then SIGTERM (nfcapd flushes its file
# and exits within about a second).
nfcapd_stop() {
	wait_for 10 udp_drained "$NFCAPD_PORT"
	sleep 0.3
	proc_stop "$NFCAPD_PID" TERM 15
}

# ipv6_loopback: ::1 can be bound.
ipv6_loopback() {
	python3 -c 'import socket; s=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0))' \
	    2>/dev/null
}

# need_tools: the shared tools must have been built (make check does it).
need_tools() {
	local t
	for t in "$@"; do
		if [ ! -x "$t" ]; then
			echo "Bail out! $t is missing: run make check (or" \
			    "make $NFTOP_BUILD/tools/$(basename "$t"))"
			exit 1
		fi
	done
}
