#!/bin/bash
# channels.t - NfSen-style channels and profiles against nfdump.
#
# flowblast writes a pcap of NetFlow v5 exports; the same datagrams go
# over loopback into nfcapd.  A channels file with overlapping filters in
# two profiles is given to `nftop --batch --read PCAP --channels FILE`:
# each channel's flows/packets/bytes must equal what `nfdump -R DIR
# FILTER` lists for its filter (summed: 1.7.1's -I ignores the filter), and each profile's totals (records any of its channels
# matched, counted once) must equal nfdump -I on the or of its filters.
# Then: the default profile (tcp/udp/icmp/other) from
# $XDG_CONFIG_HOME/nftop/channels being absent is not used by batch runs
# without --channels (their JSON keeps its shape), CSV and text carry the
# channel rows, a window cut counts only the window, and bad files are
# refused with FILE:LINE.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need nfcapd nfdump python3
need_tools "$FLOWBLAST"

PCAP=$T_TMP/blast.pcap
"$FLOWBLAST" -f v5 -n 6000 -s 77 -S 1764000000 -F 4000 -r 100 -w "$PCAP" -q \
    >/dev/null
ok $? "flowblast wrote 6000 v5 records to a pcap (60 s at 100 records/s)"

CH=$T_TMP/channels
cat >"$CH" <<'EOF'
# Overlapping on purpose: web is inside tcp, big crosses protocols.
tcp   = proto tcp
udp   = proto udp
web   = proto tcp and dst port in [80 443]
big   = bytes > 1500
[profile nets]
low   = src net 10.0.0.0/9
high  = src net 10.128.0.0/9
few   = packets < 3 and not proto udp
dns   = port 53
[alerts]
syn-flood = off
[signatures]
slammer = proto udp and dst port 1434 and bytes 404
EOF

# nfcapd gets the same datagrams over loopback.
nfcapd_start "$T_TMP/nf" || { ok 1 "nfcapd starts"; end_testing; }
python3 - "$PCAP" "$NFCAPD_PORT" <<'PY'
import socket, sys, time, nfutil
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i, (_, _, _, p) in enumerate(nfutil.pcap_udp_payloads(sys.argv[1])):
    s.sendto(p, ("127.0.0.1", int(sys.argv[2])))
    if i % 50 == 49:
        time.sleep(0.01)
PY
nfcapd_stop
got=$(nfdump -R "$T_TMP/nf" -q -o 'fmt:%sa' 2>/dev/null | grep -c .)
is "$got" 6000 "nfcapd stored all 6000 records"

timeout 60 "$NFTOP" --batch --read "$PCAP" --channels "$CH" --format json \
    >"$T_TMP/ch.json" 2>"$T_TMP/ch.err"
is "$?" 0 "nftop --read --channels exits 0"

pychecks python3 - "$T_TMP/ch.json" "$T_TMP/nf" <<'PY'
import json, subprocess, sys
import nfutil
ck = nfutil.Checks()
rep = nfutil.last_json(sys.argv[1])
nfdir = sys.argv[2]

# nfdump 1.7.1's -I prints the files' stat records and ignores the
# filter, so the oracle sums what `nfdump FILTER` lists instead.
def nfdump_totals(flt):
    out = subprocess.run(["nfdump", "-R", nfdir, "-q", "-N", "-o",
                          "fmt:%fl %pkt %byt", flt],
                         capture_output=True, text=True, timeout=60).stdout
    tot = {"flows": 0, "packets": 0, "bytes": 0}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3:
            tot["flows"] += int(f[0])
            tot["packets"] += int(f[1])
            tot["bytes"] += int(f[2])
    return tot

chans = rep.get("channels", [])
ck.eq(len(chans), 8, "the report has the file's 8 channels")
ck.eq([(c["profile"], c["name"]) for c in chans][:3],
      [("live", "tcp"), ("live", "udp"), ("live", "web")],
      "channels before any [profile] are in profile live, in file order")
for c in chans:
    want = nfdump_totals(c["filter"])
    got = {k: c[k] for k in ("flows", "packets", "bytes")}
    ck.eq(got, want, "channel %s/%s '%s' equals nfdump -I"
          % (c["profile"], c["name"], c["filter"]))
    ck.ok(c["flows"] > 0, "channel %s matched something" % c["name"])
profs = {p["name"]: p for p in rep.get("profiles", [])}
ck.eq(sorted(profs), ["live", "nets"], "two profiles")
for name in ("live", "nets"):
    fl = " or ".join("(%s)" % c["filter"] for c in chans
                     if c["profile"] == name)
    want = nfdump_totals(fl)
    got = {k: profs[name][k] for k in ("flows", "packets", "bytes")}
    ck.eq(got, want, "profile %s = nfdump -I on the or of its channels"
          % name)
live = sum(c["flows"] for c in chans if c["profile"] == "live")
ck.ok(profs["live"]["flows"] < live,
      "overlapping channels are counted once in the profile (%d < %d)"
      % (profs["live"]["flows"], live))
PY

# Without --channels a batch report has no channels member.
timeout 60 "$NFTOP" --batch --read "$PCAP" --format json >"$T_TMP/plain.json"
is "$(json_get "$T_TMP/plain.json" '"channels" in r')" False \
    "without --channels the batch JSON has no channels"

# A window: a channel counts what a view with its filter counts.
timeout 60 "$NFTOP" --batch --read "$PCAP" --channels "$CH" --window 10s \
    --format json >"$T_TMP/win.json"
timeout 60 "$NFTOP" --batch --read "$PCAP" --window 10s --format json \
    'proto tcp and dst port in [80 443]' >"$T_TMP/win-web.json"
w=$(json_get "$T_TMP/win.json" \
    '[(c["flows"], c["packets"], c["bytes"]) for c in r["channels"] if c["name"] == "web"][0]')
v=$(json_get "$T_TMP/win-web.json" \
    '(r["totals"]["flows"], r["totals"]["packets"], r["totals"]["bytes"])')
is "$w" "$v" "--window 10s: channel web equals a view filtered the same way"
is "$(json_get "$T_TMP/win.json" '0 < r["profiles"][0]["flows"] < 6000')" \
    True "--window 10s: the profile counts only the window"

timeout 60 "$NFTOP" --batch --read "$PCAP" --channels "$CH" --format csv \
    >"$T_TMP/ch.csv"
is "$(grep -c ',channel,bytes,live/web,' "$T_TMP/ch.csv")" 1 \
    "CSV: a row per channel (aggregate channel, rank PROFILE/NAME)"
is "$(grep -c ',profile,bytes,nets,' "$T_TMP/ch.csv")" 1 \
    "CSV: a row per profile"
timeout 60 "$NFTOP" --batch --read "$PCAP" --channels "$CH" --format text \
    >"$T_TMP/ch.txt"
grep -q '^nets/dns ' "$T_TMP/ch.txt"
ok $? "text: a Channels section with nets/dns"

# Bad files: the place and the cause.
printf 'tcp = proto tcp\nbad = proto tcpp\n' >"$T_TMP/bad1"
printf '[profile a]\nx = any\n[weird]\n' >"$T_TMP/bad2"
printf 'tcp = proto tcp\ntcp = proto udp\n' >"$T_TMP/bad3"
printf 'b@d = any\n' >"$T_TMP/bad4"
printf '[alerts]\nfactor = -1\n' >"$T_TMP/bad5"
printf '[signatures]\nx 5 furlongs/s = any\n' >"$T_TMP/bad6"
for i in 1 2 3 4 5 6; do
	timeout 20 "$NFTOP" --batch --read "$PCAP" --channels "$T_TMP/bad$i" \
	    --format json >"$T_TMP/bad$i.out" 2>"$T_TMP/bad$i.err"
	rc=$?
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] &&
	    grep -q "bad$i:[0-9]" "$T_TMP/bad$i.err" &&
	    [ ! -s "$T_TMP/bad$i.out" ]
	ok $? "bad channels file $i refused with FILE:LINE: $(head -c 150 \
	    "$T_TMP/bad$i.err")"
done
timeout 20 "$NFTOP" --batch --read "$PCAP" --channels "$T_TMP/none" \
    >/dev/null 2>"$T_TMP/none.err"
[ $? -ne 0 ] && grep -q none "$T_TMP/none.err"
ok $? "a missing channels file is an error naming it"

end_testing
