#!/bin/bash
# alerts.t - every detector fires on traffic built to trigger it, its
# filter shows exactly the attack's flows, it clears when the attack
# stops, and nothing fires on the corpus' ordinary traffic.
#
# alert_traffic.py writes one NetFlow v5 pcap per scenario: 90 s of
# background (web flows, DNS answers) with an attack in seconds [20, 50).
# `nftop --batch --read PCAP --alerts --channels FILE` prints alert events
# as JSON lines.  For each scenario: exactly the expected alerts fire
# (kind and subject), the firing time lies in the attack, a cleared event
# follows, and `nftop --flows ALERT-FILTER` lists exactly the attack's
# flows; nfdump accepts the same filter.  The syn scenario also has a
# target whose learned baseline (40/s) keeps its rise to 150/s from
# alerting while a fresh target at 150/s alerts.  Then the corpus' export
# and packet captures raise no alert, except the real SYN scan among them,
# which must.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need python3 nfdump
GEN="$INTEG_DIR/alert_traffic.py"

CH=$T_TMP/channels
cat >"$CH" <<'CHEOF'
[signatures]
# The seed's Slammer example: one 404-byte UDP packet to port 1434.
slammer 5 flows/s by srcip = proto udp and dst port 1434 and bytes 404
CHEOF

for sc in syn rst scan sweep reflection slammer quiet; do
	python3 "$GEN" "$sc" "$T_TMP/$sc.pcap" >"$T_TMP/$sc.truth"
	timeout 60 "$NFTOP" --batch --read "$T_TMP/$sc.pcap" --alerts \
	    --channels "$CH" --format json >"$T_TMP/$sc.out" \
	    2>"$T_TMP/$sc.err"
	is "$?" 0 "$sc: nftop --read --alerts exits 0"
	# The alerts' filters, run through nftop --flows and nfdump -Z.
	python3 - "$T_TMP/$sc.out" >"$T_TMP/$sc.filters" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if "alert" in r and r["event"] == "fired":
        print(r["alert"] + "\t" + r["filter"])
PY
	while IFS=$'\t' read -r name flt; do
		n=$(timeout 60 "$NFTOP" --batch --read "$T_TMP/$sc.pcap" --flows \
		    --format json "$flt" | grep -c .)
		echo "$name	$n" >>"$T_TMP/$sc.counts"
		nfdump -Z "$flt" >/dev/null 2>&1
		ok $? "$sc: nfdump accepts the $name filter: $flt"
	done <"$T_TMP/$sc.filters"
	touch "$T_TMP/$sc.counts"
done

pychecks python3 - "$T_TMP" <<'PY'
import json, os, sys
import nfutil
ck = nfutil.Checks()
d = sys.argv[1]
# What each scenario must raise (kind or signature name -> subject).  The
# Slammer worm also sweeps: one source, a new address per packet.
expect = {
    "syn": {"syn-flood": "192.0.2.10"},
    "rst": {"rst-flood": "192.0.2.20"},
    "scan": {"port-scan": "203.0.113.5"},
    "sweep": {"host-sweep": "203.0.113.6"},
    "reflection": {"reflection": "192.0.2.30"},
    "slammer": {"slammer": "203.0.113.7", "host-sweep": "203.0.113.7"},
    "quiet": {},
}
for sc, want in expect.items():
    truth = json.load(open(os.path.join(d, sc + ".truth")))
    ev = [json.loads(l) for l in open(os.path.join(d, sc + ".out"))]
    ev = [e for e in ev if "alert" in e]
    fired = [e for e in ev if e["event"] == "fired"]
    ck.eq(sorted((e["alert"], e["subject"]) for e in fired),
          sorted(want.items()), "%s: the alerts fired" % sc)
    counts = dict(l.rstrip("\n").split("\t")
                  for l in open(os.path.join(d, sc + ".counts")))
    for e in fired:
        ck.ok(truth["start"] <= e["fired"] <= truth["end"] + 10000,
              "%s: %s fired during the attack (%s)"
              % (sc, e["alert"], e["fired_time"]))
        ck.ok(e["magnitude"] > e["threshold"] > 0,
              "%s: %s magnitude %.1f %s over threshold %.1f"
              % (sc, e["alert"], e["magnitude"], e["unit"], e["threshold"]))
        cl = [c for c in ev if c["event"] == "cleared" and c["id"] == e["id"]]
        ck.ok(len(cl) == 1 and cl[0]["cleared"] > truth["end"],
              "%s: %s cleared after the attack" % (sc, e["alert"]))
        if e["alert"] == sc or e["kind"] == sc or \
           (sc == "syn" and e["kind"] == "syn-flood") or \
           (sc == "rst" and e["kind"] == "rst-flood") or \
           (sc == "scan" and e["kind"] == "port-scan") or \
           (sc == "sweep" and e["kind"] == "host-sweep"):
            ck.eq(int(counts.get(e["alert"], -1)), truth["flows"],
                  "%s: the %s filter shows exactly the %d attack flows"
                  % (sc, e["alert"], truth["flows"]))
syn = [json.loads(l) for l in open(os.path.join(d, "syn.out"))]
ck.ok(not any(e.get("subject") == "192.0.2.11" for e in syn),
      "syn: the target with a learned baseline of 40/s does not alert at"
      " 150/s (under factor 4)")
PY

# Eight scanners whose alerts fire in one bin: the same events, IDs and
# order every run (the subjects' table order is its random hash key's),
# in the order of the scanners' addresses.  (Their 320 SYNs a second to
# one host are a SYN flood too, in a detector of its own.)
python3 "$GEN" scans "$T_TMP/scans.pcap" >/dev/null
for i in 1 2 3; do
	timeout 60 "$NFTOP" --batch --read "$T_TMP/scans.pcap" --alerts \
	    --format json | grep '"alert"' >"$T_TMP/scans.$i"
done
cmp -s "$T_TMP/scans.1" "$T_TMP/scans.2" &&
    cmp -s "$T_TMP/scans.1" "$T_TMP/scans.3"
ok $? "eight scanners: three runs print the same alert events, byte for byte"
is "$(python3 -c 'import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
f = [e["subject"] for e in ev
     if e["event"] == "fired" and e["kind"] == "port-scan"]
print(len(f), f == sorted(f, key=lambda a: tuple(map(int, a.split(".")))))' \
    "$T_TMP/scans.1")" "8 True" \
    "... eight port scans fired, in the order of their addresses"

# Ordinary traffic: the corpus' captures.  ndpi/synscan.pcap is not
# ordinary: it is a real SYN scan (nmap -sS of one host), so there the
# port scan must be found, and a SYN flood towards the scanned host is
# the same traffic seen from the target.
n=0 bad=""
while IFS= read -r f; do
	timeout 60 "$NFTOP" --batch --read "$f" --alerts --format json \
	    >"$T_TMP/corpus.out" 2>/dev/null
	case $f in
	*/ndpi/synscan.pcap)
		cp "$T_TMP/corpus.out" "$T_TMP/synscan.out"
		continue ;;
	esac
	if grep -q '"alert"' "$T_TMP/corpus.out"; then
		bad="$bad ${f#"$CORPUS"/}"
		diag "$(grep '"alert"' "$T_TMP/corpus.out" | head -3)"
	fi
	n=$((n + 1))
done < <(find "$CORPUS" \( -name '*.pcap' -o -name '*.pcapng' \) | sort)
[ -z "$bad" ] && [ "$n" -gt 20 ]
ok $? "no alert on any of the corpus' $n other captures${bad:+ (fired:$bad)}"
if [ -f "$T_TMP/synscan.out" ]; then
	is "$(python3 -c 'import json, sys
print(sorted(set((e["alert"], e["subject"]) for e in map(json.loads, open(sys.argv[1])) if "alert" in e and e["event"] == "fired")))' "$T_TMP/synscan.out")" \
	    "[('port-scan', '172.16.0.8'), ('syn-flood', '64.13.134.52')]" \
	    "ndpi/synscan.pcap (a real nmap SYN scan): port-scan from the scanner, syn-flood at its target"
else
	skip_test "ndpi/synscan.pcap" "not in the corpus"
fi

# More SYN targets in one bin than the syn-flood detector's table holds:
# the records it refused are counted, in batch JSON and the text report.
# 20000 distinct targets, each once, in a bin that starts with none: the
# first 12288 (three quarters of its 16384 slots) are admitted, and the
# other 7712 records refused; the sweep they also are fires as usual.
python3 "$GEN" crowd "$T_TMP/crowd.pcap" >/dev/null
timeout 60 "$NFTOP" --batch --read "$T_TMP/crowd.pcap" --alerts \
    --format json >"$T_TMP/crowd.out" 2>/dev/null
is "$(python3 -c 'import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if "\"stats\"" in l][-1]
a = r["stats"]["alerts"]
print(a["subjects_full"], a["pairs_full"], a["records"])' "$T_TMP/crowd.out")" \
    "7712 0 $(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["totals"]["flows"])' <(tail -1 "$T_TMP/crowd.out"))" \
    "a crowd of 20000 SYN targets: 7712 refused by the full table, counted in stats.alerts"
grep -q '"alert":"host-sweep".*"subject":"203.0.113.8"' "$T_TMP/crowd.out"
ok $? "... and the sweep itself still fires"
# A full table turns away the addresses it does not hold (a Bloom filter
# of its subjects answers, not the table) but still counts those it does:
# the crowd's first target, admitted before the table filled, is then
# flooded, and that flood fires.
python3 "$GEN" crowdsyn "$T_TMP/crowdsyn.pcap" >/dev/null
timeout 60 "$NFTOP" --batch --read "$T_TMP/crowdsyn.pcap" --alerts \
    --format json >"$T_TMP/crowdsyn.out" 2>/dev/null
is "$(python3 -c 'import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
print(sorted(set((e["alert"], e["subject"]) for e in ls
                 if "alert" in e and e["event"] == "fired")),
      ls[-1]["stats"]["alerts"]["subjects_full"] > 0)' "$T_TMP/crowdsyn.out")" \
    "[('host-sweep', '203.0.113.8'), ('syn-flood', '10.100.0.1')] True" \
    "a full syn-flood table still counts a target it holds: its flood fires"
"$NFTOP" --batch --read "$T_TMP/crowd.pcap" --alerts 2>/dev/null |
    grep -q '^Detectors full: 7712 records found their subject table full'
ok $? "the text report says what the detectors could not count"
# Without --alerts the detectors do not run, and stats has no "alerts".
"$NFTOP" --batch --read "$T_TMP/crowd.pcap" --format json 2>/dev/null |
    python3 -c 'import json, sys
r = json.loads(sys.stdin.read().splitlines()[-1])
sys.exit("alerts" in r["stats"])'
ok $? "without --alerts, batch JSON has no stats.alerts"

end_testing
