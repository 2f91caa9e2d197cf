#!/bin/bash
# report-format.t - the batch printers' text and CSV, field by field.
#
# flowblast writes NetFlow v9 exports, IPv4 and IPv6 flows, to a pcap.
#  - `--flows` (text) must list the records `--flows --format json` does,
#    in the same order, under one header line: the first time in RFC 3339
#    with milliseconds before the Z ("2023-11-14T22:13:17.858Z", not
#    "...:17Z.858"), each endpoint ADDR:PORT with an IPv6 address in
#    brackets ("[2001:db8::1]:443", which cannot be misread as one more
#    group), packets and bytes.
#  - CSV with --channels and --burst: every row has exactly as many fields
#    as the header (python's csv module reads it); channel and profile
#    rows carry what JSON's "channels" and "profiles" say, peakN rows what
#    its "burst" says, the peak second and the key's totals included.
#    Without --burst the header is the one DESIGN.md's contract had.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need python3
need_tools "$FLOWBLAST"

PCAP=$T_TMP/f.pcap
"$FLOWBLAST" -f v9 -n 600 -6 40 -r 40 -s 5 -S 1700000000 -F 80 -H 12 \
    -w "$PCAP" -q >/dev/null
ok $? "flowblast wrote 600 v9 records, IPv4 and IPv6, to a pcap"

CH=$T_TMP/channels
cat >"$CH" <<'EOF'
tcp   = proto tcp
web   = proto tcp and dst port in [80 443]
[profile nets]
low   = src net 10.0.0.0/9
v6    = src net 2001:db8::/32
EOF

# run NAME ARGS...: nftop --batch --read PCAP ARGS >NAME.out, bounded.
run() {
	local n=$1
	shift
	timeout 60 "$NFTOP" --batch --read "$PCAP" "$@" >"$T_TMP/$n.out" \
	    2>"$T_TMP/$n.err"
	is "$?" 0 "$n: nftop --batch --read exits 0"
}

run flows-text --flows
run flows-json --flows --format json
A=(--channels "$CH" --burst --top 6 --aggregate srcip,dstport)
run an-csv "${A[@]}" --format csv
run an-json "${A[@]}" --format json
run ch-csv --channels "$CH" --top 4 --format csv

pychecks python3 - "$T_TMP" <<'PY'
import csv, datetime, ipaddress, json, re, sys
import nfutil
ck = nfutil.Checks()
d = sys.argv[1]

# --- text --flows against JSON --flows, record by record
recs = nfutil.json_lines(d + "/flows-json.out")
lines = [l for l in open(d + "/flows-text.out") if l.strip()]
ck.eq(len(recs), 600, "--flows --format json: 600 records")
ck.eq(len(lines), len(recs) + 1, "--flows text: a header, then a line a"
      " record")
head = lines[0].split() if lines else []
ck.eq(head[:3] + head[-2:], ["first", "duration", "proto", "packets",
      "bytes"], "--flows text: the header names the columns")
body = lines[1:] if head[:1] == ["first"] else lines
LINE = re.compile(r"^(\S+) +(\S+) +(\S+) +(\S+) +-> +(\S+) +(\d+) +(\d+)$")


def endpoint(ip, port):
    return ("[%s]:%d" if ipaddress.ip_address(ip).version == 6 else
            "%s:%d") % (ip, port)


def rfc3339(ms):
    t = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


bad = {"time": [], "endpoint": [], "counts": [], "parse": []}
v6 = 0
for l, r in zip(body, recs):
    m = LINE.match(l.rstrip("\n"))
    if m is None:
        bad["parse"].append(l)
        continue
    t, _, _, src, dst, pk, by = m.groups()
    if t != rfc3339(r["first"]):
        bad["time"].append((t, r["first"]))
    want = (endpoint(r["srcip"], r["srcport"]),
            endpoint(r["dstip"], r["dstport"]))
    if (src, dst) != want:
        bad["endpoint"].append(((src, dst), want))
    if (int(pk), int(by)) != (r["packets"], r["bytes"]):
        bad["counts"].append(l)
    v6 += ":" in r["srcip"]
ck.ok(v6 > 0, "the pcap has IPv6 records (%d)" % v6)
ck.eq(bad["parse"], [], "--flows text: every line has time, duration, proto,"
      " src -> dst, packets, bytes")
ck.eq(bad["time"][:3], [], "--flows text: first time is RFC 3339 in UTC with"
      " milliseconds (.mmmZ), equal to JSON's first")
ck.eq(bad["endpoint"][:3], [], "--flows text: endpoints ADDR:PORT, IPv6 as"
      " [ADDR]:PORT, equal to JSON's")
ck.eq(bad["counts"][:3], [], "--flows text: packets and bytes equal JSON's")
ok = 0
for l in body:
    m = LINE.match(l.rstrip("\n"))
    try:
        datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%fZ")
        ok += 1
    except (AttributeError, ValueError):
        pass
ck.eq(ok, len(recs), "--flows text: every time parses as ISO 8601")


# --- CSV with --channels and --burst against JSON
def read_csv(name):
    with open("%s/%s.out" % (d, name), newline="") as f:
        rows = list(csv.reader(f))
    return rows[0] if rows else [], rows[1:]


header, rows = read_csv("an-csv")
rep = nfutil.last_json(d + "/an-json.out")
widths = sorted(set(len(r) for r in rows))
ck.eq(widths, [len(header)], "CSV --channels --burst: every row has the"
      " header's %d fields" % len(header))
byrank = {}
for r in rows:
    byrank[(r[3], r[5])] = dict(zip(header, r))

want = {}
for c in rep["channels"]:
    want[("channel", c["profile"] + "/" + c["name"])] = \
        (c["filter"], c["flows"], c["packets"], c["bytes"], c["bps"],
         c["pps"])
for p in rep["profiles"]:
    want[("profile", p["name"])] = ("", p["flows"], p["packets"],
                                   p["bytes"], p["bps"], p["pps"])


def counts(row):
    return (row.get("filter"), int(row.get("flows") or -1),
            int(row.get("packets") or -1), int(row.get("bytes") or -1),
            float(row.get("bps") or -1), float(row.get("pps") or -1))


got = {k: counts(byrank[k]) for k in want if k in byrank}
ck.eq(got, want, "CSV: channel and profile rows = JSON's channels and"
      " profiles (filter, counts, rates)")
ck.eq(sorted(set(v.get("error_flows") for k, v in byrank.items()
                 if k[0] in ("channel", "profile"))), ["0"],
      "CSV: channel and profile rows are exact (error columns 0)")

top = rep["burst"]["top"]
ck.eq(len(top), 6, "JSON burst: 6 entries")
ck.ok(len(set(b["peak_time"] for b in top)) > 1, "JSON burst: the peaks"
      " fall in different seconds (so the check can tell them apart)")
peaks = [dict(zip(header, r)) for r in rows if r[5].startswith("peak")]
ck.eq([p["rank"] for p in peaks], ["peak%d" % i for i in range(1, 7)],
      "CSV: rows peak1..peak6")
gotp, wantp = [], []
for p, b in zip(peaks, top):
    gotp.append((p.get("srcip"), p.get("dstport"), p.get("peak_time"),
                 p.get("flows"), p.get("packets"), p.get("bytes"),
                 p.get("bps"), p.get("pps"), p.get("total_flows"),
                 p.get("total_packets"), p.get("total_bytes")))
    wantp.append((b["key"]["srcip"], str(b["key"]["dstport"]),
                  b["peak_time"], str(b["peak"]["flows"]),
                  str(b["peak"]["packets"]), str(b["peak"]["bytes"]),
                  "%.1f" % b["peak_bps"], "%.1f" % b["peak_pps"],
                  str(b["flows"]), str(b["packets"]), str(b["bytes"])))
ck.eq(gotp, wantp, "CSV: peakN rows carry JSON burst's key, peak second,"
      " peak counts and rates, and totals")
other = set((r.get("peak_time"), r.get("total_bytes")) for r in
            (dict(zip(header, x)) for x in rows)
            if not r["rank"].startswith("peak"))
ck.eq(other, {("", "")}, "CSV: the burst columns are empty on other rows")

# --- without --burst: the contract's header, rows as wide
header, rows = read_csv("ch-csv")
ck.eq(",".join(header), "time,window,filter,aggregate,order,rank,srcip,"
      "flows,packets,bytes,bps,pps,error_flows,error_packets,error_bytes",
      "CSV without --burst: the header as before")
ck.eq(sorted(set(len(r) for r in rows)), [len(header)],
      "CSV --channels: every row has the header's %d fields" % len(header))
ck.eq(len(rows), 4 + 1 + 4 + 2, "CSV --channels: 4 ranks, total, 4"
      " channels, 2 profiles")
PY

end_testing
