#!/bin/bash
# capture-live.t - live packet capture (--interface) and the root drop.
#
# Two network namespaces made here, joined by a veth pair: nfc0 (10.203.0.1
# in namespace A) and nfc1 (10.203.0.2 in namespace B); each has only lo
# and its veth end, no route out, IPv6 off on the veths, so nothing can
# leave them.  nftop runs as root inside B (`--batch --interface nfc1
# --format json --interval 1 --window all --aggregate srcip,dstip,srcport,
# dstport,proto,inif`); a Python sender in A sends a known burst of UDP
# datagrams (50 payloads of 100..590 bytes) to 10.203.0.2:5555 from port
# 40001, and later a second burst of 20.  nftop's report must show that
# flow with exactly the packets sent and bytes = their IP lengths (IP +
# UDP header + payload), on nfc1's ifIndex, after each burst.
#
# Started as root without --user, nftop becomes "nobody" once the capture
# is open: /proc/PID/status must show nobody's user IDs, no root group,
# CapEff and CapPrm 0000000000000000 - and the packets of both bursts,
# all sent after the drop, must still be counted.
#
# Needs root (skipped otherwise).  Without `ip netns` it falls back to
# --interface lo --bpf 'udp port PORT' with the sender on 127.0.0.1
# (NFTOP_CAPTURE_MODE=lo forces that).  Every wait is bounded; the
# namespaces and every process are removed at exit.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"
. "$(dirname "$0")/lib-checks.sh"

need python3 ip

# wait_until SECONDS CMD...: poll CMD (each poll may take a while: python3
# starts slowly on a busy box) until it succeeds or SECONDS have passed.
wait_until() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.2
	done
}

NSA=nftop-capA-$$
NSB=nftop-capB-$$
MODE=${NFTOP_CAPTURE_MODE:-netns}	# "lo" forces the fallback
cap_cleanup() {
	t_cleanup
	if [ "$MODE" = netns ]; then
		ip netns del "$NSA" 2>/dev/null
		ip netns del "$NSB" 2>/dev/null
	fi
}
trap cap_cleanup EXIT

[ "$(id -u)" = 0 ] || skip_all "live capture and the root drop need root"
if [ "$MODE" != netns ] || ! ip netns add "$NSA" 2>/dev/null; then
	MODE=lo
fi
if [ "$MODE" = netns ]; then
	ip netns add "$NSB" &&
	    ip link add nfc0 netns "$NSA" type veth peer name nfc1 netns "$NSB" &&
	    ip netns exec "$NSA" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
	    ip netns exec "$NSB" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
	    ip -n "$NSA" addr add 10.203.0.1/24 dev nfc0 &&
	    ip -n "$NSB" addr add 10.203.0.2/24 dev nfc1 &&
	    ip -n "$NSA" link set lo up && ip -n "$NSB" link set lo up &&
	    ip -n "$NSA" link set nfc0 up && ip -n "$NSB" link set nfc1 up
	ok $? "namespaces $NSA and $NSB joined by a veth pair (10.203.0.1 - .2)"
	IFACE=nfc1 DST=10.203.0.2 SRC=10.203.0.1 PORT=5555
	INB=(ip netns exec "$NSB")
	INA=(ip netns exec "$NSA")
	IFINDEX=$("${INB[@]}" cat /sys/class/net/nfc1/ifindex)
	BPF=()
else
	diag "no ip netns here: falling back to lo"
	IFACE=lo DST=127.0.0.1 SRC=127.0.0.1 PORT=$(free_udp_port)
	INB=() INA=()
	IFINDEX=$(cat /sys/class/net/lo/ifindex)
	BPF=(--bpf "udp port $PORT")
fi

spawn "${INB[@]}" "$NFTOP" --batch --interface "$IFACE" "${BPF[@]}" \
    --format json --interval 1 --window all --top 100 \
    --aggregate srcip,dstip,srcport,dstport,proto,inif \
    >"$T_TMP/cap.out" 2>"$T_TMP/cap.err"
PID=$SPAWNED

# Ready = the capture is open and root dropped (privdrop comes after it).
uid_nonzero() {
	awk '/^Uid:/ { exit !($2 && $3 && $4 && $5) }' "/proc/$PID/status"
}
wait_for 10 uid_nonzero
ok $? "nftop --interface $IFACE runs and has left root"
[ -s "$T_TMP/cap.err" ] && sed 's/^/# stderr: /' "$T_TMP/cap.err"
grep -E '^(Uid|Gid|Groups|CapPrm|CapEff):' "/proc/$PID/status" >"$T_TMP/status"
sed 's/^/# /' "$T_TMP/status"
awk '/^Uid:/ { exit !($2 == 65534 && $3 == 65534 && $4 == 65534 && $5 == 65534) }' \
    "$T_TMP/status"
ok $? "real, effective, saved and fs user IDs are nobody's (65534)"
awk '/^Gid:/ { if (!($2 && $3 && $4 && $5)) exit 1 }
     /^Groups:/ { for (i = 2; i <= NF; i++) if ($i == 0) exit 1 }' \
    "$T_TMP/status"
ok $? "no group ID is root's, no supplementary root group"
is "$(awk '/^CapEff:/ { print $2 }' "$T_TMP/status")" 0000000000000000 \
    "CapEff is 0000000000000000"
is "$(awk '/^CapPrm:/ { print $2 }' "$T_TMP/status")" 0000000000000000 \
    "CapPrm is 0000000000000000"

# send FIRST COUNT: COUNT datagrams, payloads 100 + 10*i bytes (i from
# FIRST), from SRC:40001 to DST:PORT; prints "packets ip_bytes".
send() {
	"${INA[@]}" python3 - "$SRC" "$DST" "$PORT" "$1" "$2" <<'PY'
import socket, sys, time
src, dst, port, first, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    int(sys.argv[4]), int(sys.argv[5])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((src, 40001))
n = b = 0
for i in range(first, first + count):
    size = 100 + 10 * i
    s.sendto(b"x" * size, (dst, port))
    n += 1
    b += 20 + 8 + size          # IPv4 header + UDP header + payload
    time.sleep(0.005)
print(n, b)
PY
}

# flow_is FLOWS PACKETS BYTES: the last report has our flow with these
# counters (FLOWS may be a Python tuple of allowed values)
flow_is() {
	python3 "$NFUTIL" test "$T_TMP/cap.out" "([(t['flows'] in $1, t['packets'],
	    t['bytes']) for t in r['top'] if t['key'] == {'srcip': '$SRC',
	    'dstip': '$DST', 'srcport': 40001, 'dstport': $PORT, 'proto': 17,
	    'inif': $IFINDEX}] == [(True, $2, $3)])"
}
last_flow() {
	python3 "$NFUTIL" test "$T_TMP/cap.out" "print([t for t in r['top']
	    if t['key'].get('srcport') == 40001]) or True" | cut -c1-400
}

read -r P1 B1 < <(send 0 50)
is "$P1/$B1" "50/18650" "sender: burst 1, 50 datagrams, 18650 IP bytes"
wait_until 15 flow_is "(1,)" "$P1" "$B1"
ok $? "burst 1 is one flow $SRC:40001 > $DST:$PORT udp on ifIndex $IFINDEX: 50 packets, 18650 bytes"
diag "nftop: $(last_flow)"
alive "$PID"
ok $? "nftop still runs after burst 1"

read -r P2 B2 < <(send 50 20)
P=$((P1 + P2)) B=$((B1 + B2))
is "$P/$B" "70/33110" "sender: burst 2, 20 more datagrams, 14460 IP bytes"
# One flow, or two if the first one ended on the 15 s inactive timeout.
wait_until 15 flow_is "(1, 2)" "$P" "$B"
ok $? "after burst 2 the flow key has 70 packets, 33110 bytes (window all)"
diag "nftop: $(last_flow)"
python3 "$NFUTIL" test "$T_TMP/cap.out" \
    "([s['protocol'] for s in r['sources']] == ['pcap'] and
      r['meter']['truncated'] == 0 and r['meter']['malformed'] == 0 and
      r['stats']['kernel_drops'] == 0)"
ok $? "one pcap source, nothing truncated, malformed or dropped"
uid_nonzero
ok $? "nftop is still not root while counting"

proc_stop "$PID" INT 10
is "$STOP_RC" 0 "nftop exits 0 on SIGINT"

end_testing
