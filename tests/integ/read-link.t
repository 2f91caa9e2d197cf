#!/bin/bash
# read-link.t - --read of captures whose link layer is PPP or Cisco HDLC,
# and of one whose link layer nftop does not take apart.
#
#  - ndpi/dlt_ppp.pcap (DLT_PPP, one QUIC packet): the flow nDPI meters
#    (dlt_ppp.pcap.flows.expected.txt), with nftop's bytes the IP length:
#    nDPI's frame bytes less the 2-byte PPP protocol field.
#  - crafted DLT_PPP: HDLC-like framing (ff 03), a bare protocol field,
#    a compressed one-byte field (RFC 1661 6.5), IPv6, an LCP frame (no
#    IP: other, not metered), a NetFlow v5 export to port 2055 (decoded,
#    exporter = its source address) and a header cut short (truncated).
#  - crafted DLT_PPP_SERIAL (PPP and Cisco HDLC framing in one file) and
#    DLT_C_HDLC (IPv4, IPv6, a non-IP ethertype, a header cut short).
#  - crafted DLT_IEEE802_11 (not taken apart): exit 0, one warning on
#    stderr naming the link type, its packets counted in
#    read.unsupported_link and in no other outcome, nothing metered.
# Supported link types print nothing on stderr.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need python3

NDPI=$CORPUS/ndpi/dlt_ppp.pcap
[ -r "$NDPI" ] || skip_all "corpus file $NDPI missing"

python3 - "$T_TMP" <<'PY'
import ipaddress, struct, sys
from nfutil import nf5_datagram, udp_frame

tmp = sys.argv[1]


def ip4(payload, sport=1000, dport=2000, src="10.0.0.1", dst="10.0.0.2"):
    return udp_frame(payload, src, dst, sport, dport)[14:]   # no Ethernet


def ip6(payload, sport=3000, dport=4000):
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    return struct.pack(">IHBB16s16s", 0x60000000, len(udp), 17, 64,
                       ipaddress.IPv6Address("2001:db8::1").packed,
                       ipaddress.IPv6Address("2001:db8::2").packed) + udp


def write(name, dlt, frames):
    with open("%s/%s.pcap" % (tmp, name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, dlt))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr),
                                len(fr)))
            f.write(fr)


v4, v6 = ip4(b"x" * 100), ip6(b"y" * 50)
v5 = udp_frame(nf5_datagram(2), "192.0.2.9", "192.0.2.1", 40000,
               2055)[14:]
write("ppp", 9, [b"\xff\x03\x00\x21" + v4, b"\x00\x21" + v4, b"\x21" + v4,
                 b"\xff\x03\x00\x57" + v6,
                 b"\xff\x03\xc0\x21\x09\x01\x00\x08\x00\x00\x00\x00",
                 b"\xff\x03\x00\x21" + v5, b"\xff\x03\x00"])
write("serial", 50, [b"\xff\x03\x00\x21" + v4, b"\x0f\x00\x08\x00" + v4,
                     b"\x8f\x00\x86\xdd" + v6])
write("chdlc", 104, [b"\x0f\x00\x08\x00" + v4, b"\x8f\x00\x86\xdd" + v6,
                     b"\x8f\x00\x80\x35" + b"\x00" * 28, b"\x0f\x00\x08"])
write("wlan", 105, [b"\x08\x02" + b"\x00" * 40, b"\x80\x00" + b"\x00" * 40])
PY
ok $? "crafted PPP, PPP-serial, Cisco HDLC and 802.11 captures"

# run NAME FILE ARGS...: nftop --batch --read FILE ARGS, bounded.
run() {
	local name=$1 file=$2
	shift 2
	timeout 30 "$NFTOP" --batch --read "$file" "$@" >"$T_TMP/$name.out" \
	    2>"$T_TMP/$name.err"
}

# flows NAME: the --flows records of NAME.out, one sorted line each.
flows() {
	python3 - "$T_TMP/$1.out" <<'PY'
import json, sys
rows = sorted("%s %s:%d > %s:%d p%d %d pkts %d bytes" % (
    r["protocol"], r["srcip"], r["srcport"], r["dstip"], r["dstport"],
    r["proto"], r["packets"], r["bytes"])
    for r in (json.loads(l) for l in open(sys.argv[1]) if l.strip()))
print("; ".join(rows))
PY
}

# case_check NAME FILE FLOWS READ METER: --flows and the JSON report of FILE.
case_check() {
	local name=$1 file=$2
	run "$name-flows" "$file" --flows --format json
	is "$?" 0 "$name: --read --flows exits 0"
	is "$(flows "$name-flows")" "$3" "$name: the flows"
	run "$name" "$file" --format json
	is "$?" 0 "$name: --read --format json exits 0"
	is "$(json_get "$T_TMP/$name.out" '[r["read"][k] for k in ("packets",
	    "exports", "other", "truncated")]')" "$4" \
	    "$name: read packets, exports, other, truncated"
	is "$(json_get "$T_TMP/$name.out" '[r["meter"]["packets"],
	    r["meter"]["not_ip"]]')" "$5" "$name: meter packets, not_ip"
	is "$(cat "$T_TMP/$name-flows.err" "$T_TMP/$name.err")" "" \
	    "$name: nothing on stderr"
}

# nDPI's flow, with the PPP protocol field (2 bytes) out of its bytes.
want=$(python3 - "$NDPI.flows.expected.txt" <<'PY'
import re, sys
for l in open(sys.argv[1]):
    m = re.match(r"\d+ UDP ([\d.]+):(\d+) -> ([\d.]+):(\d+) \| (\d+) (\d+) "
                 r"\| 0 0 ", l)
    if m:
        s, sp, d, dp, p, b = m.groups()
        print("pcap %s:%s > %s:%s p17 %s pkts %d bytes" % (
            s, sp, d, dp, p, int(b) - 2))
PY
)
case_check dlt_ppp "$NDPI" "$want" "[1, 0, 1, 0]" "[1, 0]"

F4="pcap 10.0.0.1:1000 > 10.0.0.2:2000 p17"
F6="pcap 2001:db8::1:3000 > 2001:db8::2:4000 p17"
V5="netflow-v5 10.1.0.1:1024 > 192.0.2.1:80 p6 1 pkts 100 bytes;"
V5="$V5 netflow-v5 10.1.0.2:1025 > 192.0.2.2:80 p6 2 pkts 200 bytes"
case_check ppp "$T_TMP/ppp.pcap" \
    "$V5; $F4 3 pkts 384 bytes; $F6 1 pkts 98 bytes" \
    "[7, 1, 5, 1]" "[4, 0]"
is "$(json_get "$T_TMP/ppp.out" '[(s["exporter"], s["records"])
    for s in r["sources"] if s["protocol"] == "netflow-v5"]')" \
    "[('192.0.2.9', 2)]" "ppp: the export's source is its IP source"
# A metered IPv4 flow has no next hop: 0.0.0.0, as for an export's IPv4
# record; an IPv6 flow's is ::.
run ppp-nh "$T_TMP/ppp.pcap" --aggregate nexthop --order flows --format json
is "$(json_get "$T_TMP/ppp-nh.out" '[(t["key"]["nexthop"], t["flows"])
    for t in r["top"]]')" "[('0.0.0.0', 3), ('::', 1)]" \
    "ppp: next hops by family (the absent IPv4 one is 0.0.0.0, not ::)"
# The packet meter has no exporter: the text report names it "local".
run ppp-text "$T_TMP/ppp.pcap" --format text
is "$(grep '^Source ' "$T_TMP/ppp-text.out" | cut -d: -f1 | sort | tr '\n' ';')" \
    "Source 192.0.2.9 netflow-v5 domain 0;Source local pcap domain 0;" \
    "ppp: the text report's sources: the exporter, and the meter as local"
case_check serial "$T_TMP/serial.pcap" \
    "$F4 2 pkts 256 bytes; $F6 1 pkts 98 bytes" "[3, 0, 3, 0]" "[3, 0]"
case_check chdlc "$T_TMP/chdlc.pcap" \
    "$F4 1 pkts 128 bytes; $F6 1 pkts 98 bytes" "[4, 0, 3, 1]" "[2, 0]"

run wlan "$T_TMP/wlan.pcap" --format json
is "$?" 0 "wlan: an unsupported link type still exits 0"
is "$(grep -c . "$T_TMP/wlan.err")" 1 "wlan: one line on stderr"
grep -q 'link type IEEE802_11 (DLT 105) .*not read' "$T_TMP/wlan.err"
ok $? "wlan: it names the link type and says its packets are not read" ||
    sed 's/^/#   /' "$T_TMP/wlan.err"
is "$(json_get "$T_TMP/wlan.out" '[r["read"].get(k) for k in ("packets",
    "unsupported_link", "exports", "other", "truncated", "filtered")]')" \
    "[2, 2, 0, 0, 0, 0]" \
    "wlan: its packets are counted in read.unsupported_link and only there"
is "$(json_get "$T_TMP/wlan.out" '[r["totals"]["flows"],
    r["meter"]["packets"], r["meter"]["not_ip"]]')" "[0, 0, 0]" \
    "wlan: nothing metered"

end_testing
