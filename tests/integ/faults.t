#!/bin/bash
# faults.t - nftop meets faults, keeps running and counts them.
#
#  1. Socket reads fail: an LD_PRELOAD library (tests/fault/faultinject.c,
#     built as $NFTOP_BUILD/tests/faultrecv.so) makes every 3rd
#     recvmmsg() fail with EINTR, EAGAIN and ENOBUFS in turn while
#     flowblast sends 20000 NetFlow v9 records.  Every datagram must still
#     be decoded (the failed reads leave them queued); faults.recv_eintr
#     and recv_enobufs must equal what the library says it injected, and
#     recv_eagain count the EAGAINs on a wake-up's first read.
#  2. Allocations fail: the same library refuses every allocation of 4 KiB
#     or more for 2.5 s while 60000 IPFIX records with 60000 keys arrive
#     (the aggregate table must grow).  nftop must keep decoding every
#     datagram, exit 0 on SIGINT, count alloc_failed (at most what was
#     injected, at least 1), and its totals must still hold every record.
#     Skipped for a sanitizer build (ASan owns malloc).
#  3. stdout closed (>&-) and stdout a pipe whose reader has gone: nftop
#     says so once on stderr, keeps collecting to --count, exits 1.
#  4. The wall clock jumps: libfaketime (FAKETIME_TIMESTAMP_FILE, read at
#     every call; the monotonic clock left alone) steps the wall clock back
#     an hour, then forward a day, under a live nftop with a 5 s window.
#     Reports keep coming every second, the 5 s window holds what was
#     sent in the last 5 s (not nothing, as a window on the stepped wall
#     clock would), and faults.clock_jumps is 2.
#  5. An interface removed during capture: in a network namespace made
#     here, nftop captures on one end of a veth pair and listens for
#     exports on the namespace's lo; the veth is deleted.  nftop keeps
#     running, counts faults.capture_errors 1, and decodes the exports
#     sent afterwards.  Needs root and ip netns (skipped otherwise).
#
# A DNS server that never answers is tests/tui/dns.t (second run); a
# resize storm is tests/tui/resize.t.  Loopback (and a private namespace)
# only; every process is ended by its PID.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need python3
FI="$NFTOP_BUILD/tests/faultinject.so"
[ -f "$FI" ] || skip_all "$FI missing: make $FI"
need_tools "$FLOWBLAST"

# A sanitizer build wants its runtime first; libfaketime and the fault
# library come after it then.
SAN=
if ldd "$NFTOP" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	SAN=1
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
fi

# with_env NAME VAR=VALUE...: a wrapper script $T_TMP/NAME that execs
# $NFTOP with these variables (LD_PRELOAD among them): only nftop gets
# them, not the shell tools nftop_start runs; exec keeps nftop's PID.
with_env() {
	local w="$T_TMP/$1" real="$NFTOP"
	shift
	{
		echo '#!/bin/sh'
		printf 'exec env'
		printf " '%s'" "$@"
		printf " '%s' \"\$@\"\n" "$real"
	} >"$w"
	chmod 755 "$w"
	echo "$w"
}

# nftop drops root to "nobody" once its sockets are open: the files the
# preloaded libraries read or write after that live in a directory
# nobody can reach.
chmod 711 "$T_TMP"
PUB="$T_TMP/pub"
mkdir -m 777 "$PUB"

# last_report NAME EXPR: EXPR over the last JSON report of NAME (as r).
last_report() {
	json_get "$T_TMP/$1.out" "$2"
}

# ------------------------------------------------------------ 1. recvmmsg
W=$(with_env recv.sh FI_RECV=eintr,eagain,enobufs FI_RECV_EVERY=3 \
    FI_LOG="$T_TMP/fi-recv.log" LD_PRELOAD="$NFTOP_BUILD/tests/faultrecv.so")
NFTOP="$W" nftop_start recv --listen 127.0.0.1:0 --format json \
    --interval 1 --window all
ok $? "nftop with failing socket reads listens (port $NFTOP_PORT)"
PID=$NFTOP_PID
"$FLOWBLAST" -f v9 -d "127.0.0.1:$NFTOP_PORT" -n 20000 -r 20000 -T 20 -q \
    >"$T_TMP/fb-recv.txt" 2>&1
DG=$(sed -n 's/.* datagrams=\([0-9]*\) .*/\1/p' "$T_TMP/fb-recv.txt")
wait_until 15 test "$(last_report recv 'r["stats"]["datagrams"]' 2>/dev/null)" \
    = "$DG"
alive "$PID"
ok $? "nftop keeps running through EINTR/EAGAIN/ENOBUFS"
proc_stop "$PID" INT 10
is "$STOP_RC" 0 "it exits 0 on SIGINT"
is "$(last_report recv '(r["stats"]["datagrams"], r["stats"]["records"])')" \
    "($DG, 20000)" "every one of the $DG datagrams and 20000 records decoded"
# what the library injected, by kind: "... eintr N eagain N enobufs N"
set -- $(cat "$T_TMP/fi-recv.log")
I_INTR=$6 I_AGAIN=$8 I_NOBUF=${10}
is "$(last_report recv '(r["faults"]["recv_eintr"], r["faults"]["recv_enobufs"])')" \
    "($I_INTR, $I_NOBUF)" \
    "faults.recv_eintr and recv_enobufs equal the $I_INTR and $I_NOBUF injected"
GOT=$(last_report recv 'r["faults"]["recv_eagain"]')
ok $(( GOT >= 1 && GOT <= I_AGAIN ? 0 : 1 )) \
    "faults.recv_eagain = $GOT of $I_AGAIN injected (an empty queue after a full batch is normal, not counted)"

# ------------------------------------------------------------ 2. malloc
if [ -n "$SAN" ]; then
	for i in 1 2 3 4; do
		T_NUM=$((T_NUM + 1))
		echo "ok $T_NUM # SKIP allocation failures: ASan owns malloc"
	done
else
	W=$(with_env alloc.sh FI_ALLOC_AFTER_MS=1000 FI_ALLOC_FOR_MS=2500 \
	    FI_ALLOC_EVERY=1 FI_ALLOC_MIN=4096 FI_LOG="$T_TMP/fi-alloc.log" \
	    LD_PRELOAD="$FI")
	NFTOP="$W" nftop_start alloc --listen 127.0.0.1:0 --format json --interval 1 \
	    --window all --aggregate srcip,dstip,srcport,dstport
	PID=$NFTOP_PID
	"$FLOWBLAST" -f ipfix -d "127.0.0.1:$NFTOP_PORT" -n 60000 -F 60000 \
	    -r 15000 -T 20 -q >"$T_TMP/fb-alloc.txt" 2>&1
	DG=$(sed -n 's/.* datagrams=\([0-9]*\) .*/\1/p' "$T_TMP/fb-alloc.txt")
	wait_until 15 test "$(last_report alloc 'r["stats"]["datagrams"]' \
	    2>/dev/null)" = "$DG"
	alive "$PID"
	ok $? "nftop keeps running while allocations fail"
	proc_stop "$PID" INT 10
	is "$STOP_RC" 0 "it exits 0 on SIGINT"
	is "$(last_report alloc '(r["stats"]["datagrams"], r["stats"]["records"], r["totals"]["flows"])')" \
	    "($DG, 60000, 60000)" \
	    "all $DG datagrams decoded, all 60000 records in the totals"
	INJ=$(awk '{print $4}' "$T_TMP/fi-alloc.log")
	GOT=$(last_report alloc 'r["faults"]["alloc_failed"]')
	ok $(( GOT >= 1 && GOT <= INJ ? 0 : 1 )) \
	    "faults.alloc_failed = $GOT (of $INJ refused in all, some inside libc)"
fi

# ------------------------------------------------------------ 3. stdout
"$NFTOP" --batch --listen 127.0.0.1:0 --interval 1 --count 3 >&- \
    2>"$T_TMP/closed.err" &
PID=$!
T_PIDS="$T_PIDS $PID"
sleep 1.5
alive "$PID"
ok $? "stdout closed: nftop keeps collecting"
wait_until 10 sh -c "! kill -0 $PID 2>/dev/null"
wait "$PID"
is "$?" 1 "it stops at --count 3 with exit status 1 (reports lost)"
grep -q 'stdout is closed: the reports are lost; still collecting' \
    "$T_TMP/closed.err"
ok $? "and says so on stderr"

"$NFTOP" --batch --listen 127.0.0.1:0 --interval 1 --count 4 --format json \
    2>"$T_TMP/pipe.err" | head -c 1 >/dev/null
is "${PIPESTATUS[0]}" 1 "stdout a pipe closed after 1 byte: nftop runs to --count 4, exit 1"
grep -c 'cannot write the reports (Broken pipe); still collecting' \
    "$T_TMP/pipe.err" | grep -qx 1
ok $? "it says so once on stderr"

# ------------------------------------------------------------ 4. the clock
FT=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
if [ ! -f "$FT" ]; then
	for i in 1 2 3 4 5; do
		T_NUM=$((T_NUM + 1))
		echo "ok $T_NUM # SKIP libfaketime not installed"
	done
else
	echo "+0" >"$PUB/faketime"
	chmod 644 "$PUB/faketime"
	W=$(with_env clock.sh LD_PRELOAD="$FT" \
	    FAKETIME_TIMESTAMP_FILE="$PUB/faketime" FAKETIME_NO_CACHE=1 \
	    FAKETIME_DONT_FAKE_MONOTONIC=1)
	NFTOP="$W" nftop_start clock --listen 127.0.0.1:0 --format json \
	    --interval 1 --window 5s
	PID=$NFTOP_PID
	send() {	# send N SEED: N v5 records now
		"$FLOWBLAST" -f v5 -d "127.0.0.1:$NFTOP_PORT" -n "$1" -r 0 \
		    -s "$2" -T 10 -q >/dev/null 2>&1
	}
	send 300 1
	sleep 1.5
	echo "-3600" >"$PUB/faketime"		# back an hour
	sleep 1.5
	send 200 2
	sleep 3
	echo "+86400" >"$PUB/faketime"	# then a day ahead
	sleep 1.5
	send 100 3
	sleep 2
	alive "$PID"
	ok $? "nftop keeps running as the wall clock jumps"
	proc_stop "$PID" INT 10
	python3 - "$T_TMP/clock.out" >"$T_TMP/clock.chk" <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
# one report a second for about 9.5 s, none missing after a jump
print(len(rs) >= 8)
print(max(r["stats"]["records"] for r in rs))
print(rs[-1]["totals"]["flows"])
print(rs[-1]["faults"]["clock_jumps"])
PY
	{ read -r many; read -r recs; read -r inwin; read -r jumps; } \
	    <"$T_TMP/clock.chk"
	is "$many" True "a report every second, through both jumps"
	is "$recs" 600 "all 600 records decoded"
	is "$inwin" 100 "the 5 s window after the jumps holds the last 100 records"
	is "$jumps" 2 "faults.clock_jumps = 2"
fi

# ------------------------------------------------------------ 5. interface
NS=nftop-fault-$$
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || \
    ! ip netns add "$NS" 2>/dev/null; then
	for i in 1 2 3 4; do
		T_NUM=$((T_NUM + 1))
		echo "ok $T_NUM # SKIP needs root and ip netns"
	done
	end_testing
fi
ns_cleanup() {
	t_cleanup
	ip netns del "$NS" 2>/dev/null
}
trap ns_cleanup EXIT
IN=(ip netns exec "$NS")
ip -n "$NS" link add nff0 type veth peer name nff1 &&
    "${IN[@]}" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
    ip -n "$NS" link set lo up && ip -n "$NS" link set nff0 up &&
    ip -n "$NS" link set nff1 up
ok $? "namespace $NS with a veth pair nff0-nff1"
spawn "${IN[@]}" "$NFTOP" --batch --interface nff1 \
    --listen 127.0.0.1:0 --format json --interval 1 --window all \
    >"$T_TMP/iface.out" 2>"$T_TMP/iface.err"
PID=$SPAWNED
wait_until 10 grep -q 'listening on udp' "$T_TMP/iface.err"
PORT=$(sed -n 's/.*listening on udp .*:\([0-9][0-9]*\) (.*/\1/p' \
    "$T_TMP/iface.err" | head -n 1)
wait_until 10 test -s "$T_TMP/iface.out"
ip -n "$NS" link del nff0
sleep 1.5
"${IN[@]}" "$FLOWBLAST" -f v5 -d "127.0.0.1:$PORT" -n 600 -r 0 -T 10 -q \
    >/dev/null 2>&1
wait_until 10 test "$(last_report iface 'r["stats"]["records"]' \
    2>/dev/null)" = 600
alive "$PID"
ok $? "nftop keeps running after its capture interface is deleted"
is "$(last_report iface 'r["faults"]["capture_errors"]')" 1 \
    "faults.capture_errors = 1"
is "$(last_report iface 'r["stats"]["records"]')" 600 \
    "the 600 records exported afterwards are decoded"
proc_stop "$PID" INT 10

end_testing
