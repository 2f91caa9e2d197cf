# tests/lib.sh - shared helpers for the shell tests (TAP output for prove).
#
# Source it from a test script:  . "$(dirname "$0")/../lib.sh"
# Environment (set by `make check`): NFTOP (the binary), NFTOP_BUILD (the
# build tree, tools in $NFTOP_BUILD/tools), SHARED (../shared).
# Every process a test starts goes through spawn, and is ended by PID at
# exit; nothing here ever sends to an address outside 127.0.0.0/8 or ::1.

: "${NFTOP:=$(cd "$(dirname "$0")/../.." && pwd)/nftop}"
: "${NFTOP_BUILD:=$(cd "$(dirname "$0")/../.." && pwd)/build}"
: "${SHARED:=$(cd "$(dirname "$0")/../../.." && pwd)/shared}"
FLOWBLAST="$NFTOP_BUILD/tools/flowblast"
PCAPGEN="$NFTOP_BUILD/tools/pcapgen"
CORPUS="$SHARED/corpus"

T_NUM=0
T_FAILED=0
T_PIDS=""
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/nftop-test.XXXXXX")

t_cleanup() {
	for p in $T_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	sleep 0.2
	for p in $T_PIDS; do
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

ok() {	# ok CONDITION-STATUS DESCRIPTION
	T_NUM=$((T_NUM + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_NUM - $2"
	else
		echo "not ok $T_NUM - $2"
		T_FAILED=$((T_FAILED + 1))
	fi
}

is() {	# is GOT EXPECTED DESCRIPTION
	T_NUM=$((T_NUM + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $T_NUM - $3"
	else
		echo "not ok $T_NUM - $3"
		echo "#   got:      '$1'"
		echo "#   expected: '$2'"
		T_FAILED=$((T_FAILED + 1))
	fi
}

diag() { echo "# $*"; }

done_testing() { [ "$T_FAILED" -eq 0 ]; exit $?; }

# spawn CMD...: start in the background, remember its PID in $SPAWNED.
spawn() {
	"$@" &
	SPAWNED=$!
	T_PIDS="$T_PIDS $SPAWNED"
}

# A UDP port on 127.0.0.1 that is free right now (the kernel picks it).
free_udp_port() {
	python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	_n=$(($1 * 10))
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# json_get FILE EXPR: evaluate a Python expression over the last JSON line
# of FILE bound to `r` (e.g. 'r["totals"]["bytes"]').
json_get() {
	python3 - "$1" "$2" <<'PY'
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
r = json.loads(lines[-1])
print(eval(sys.argv[2]))
PY
}

need() {	# need CMD...: skip the whole test when a tool is missing
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "$c not installed"
	done
}
