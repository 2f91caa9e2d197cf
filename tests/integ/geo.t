#!/bin/bash
# geo.t - AS numbers and countries from MaxMind-format databases, and
# interface names from a user file, for exporters that send none.
#
# The test writes two small .mmdb files with Debian's MaxMind::DB::Writer
# (mkmmdb.pl: GeoLite2-ASN and GeoLite2-Country layouts) and a NetFlow v5
# pcap (nfutil.py) whose records carry no AS numbers, except some that
# carry the exporter's own.  With --asn/--geoip:
#  - srcas/dstas aggregates and "src as N" filters equal the truth the
#    generator knows (AS filled from the database; exporter's AS kept);
#  - the srccountry/dstcountry/country keys count by the database's codes
#    ("??" where it has none), --flows carries src_country/dst_country;
#  - without databases nothing is filled; a bad database path is an error.
# With --ifnames: --flows names the interfaces (exporter entries before
# '*' entries), and the names are sanitized.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-peers.sh"

need python3 perl
perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null ||
    skip_all "libmaxmind-db-writer-perl not installed"
"$NFTOP" --batch --read /dev/null --asn /dev/null 2>&1 |
    grep -q "without libmaxminddb" && skip_all "nftop built without libmaxminddb"

perl "$INTEG_DIR/mkmmdb.pl" asn "$T_TMP/asn.mmdb" 10.1.0.0/16=64500 \
    10.2.0.0/16=64510 192.0.2.0/24=64501 2001:db8::/32=64502
ok $? "wrote an ASN database"
perl "$INTEG_DIR/mkmmdb.pl" country "$T_TMP/cc.mmdb" 10.1.0.0/16=DE \
    10.2.0.0/16=NL 192.0.2.0/24=FR
ok $? "wrote a country database"

python3 - "$T_TMP" <<'PY'
import json, random, sys
import nfutil
d = sys.argv[1]
rnd = random.Random(3)
recs, truth = [], []
for i in range(900):
    src = rnd.choice(("10.1.%d.%d", "10.2.%d.%d", "198.51.%d.%d")) % (
        rnd.randrange(256), rnd.randrange(1, 255))
    dst = rnd.choice(("192.0.2.%d", "203.0.113.%d")) % rnd.randrange(1, 255)
    r = {"srcip": src, "dstip": dst, "srcport": 1000 + i, "dstport": 443,
         "proto": 6, "packets": 1 + i % 7, "bytes": 100 + i,
         "inif": 1 + i % 3, "outif": 2}
    if i % 10 == 0:		# the exporter knows these
        r["srcas"], r["dstas"] = 65000, 65001
    recs.append(r)
payloads = [nfutil.nf5_datagram(len(recs[i:i + 30]), recs[i:i + 30],
                                seq=i, secs=1764000000 + i // 30)
            for i in range(0, len(recs), 30)]
nfutil.wrap_payloads(d + "/geo.pcap", payloads)
json.dump(recs, open(d + "/recs.json", "w"))
PY
ok $? "wrote a v5 pcap of 900 records without AS numbers (90 with)"

printf '# names for the test\n127.0.0.1 1 uplink-a\n* 1 fallback\n* 2 core\n127.0.0.1 3 evil\033[31mred\n' \
    >"$T_TMP/ifnames"

run() {	# run NAME ARGS...
	local n=$1
	shift
	timeout 60 "$NFTOP" --batch --read "$T_TMP/geo.pcap" --format json \
	    "$@" >"$T_TMP/$n.json" 2>"$T_TMP/$n.err"
}
DB=(--asn "$T_TMP/asn.mmdb" --geoip "$T_TMP/cc.mmdb")
run srcas "${DB[@]}" --aggregate srcas --top 100
is "$?" 0 "--asn --geoip --aggregate srcas exits 0"
run dstas "${DB[@]}" --aggregate dstas --top 100
run as "${DB[@]}" --aggregate as --top 100
run cc "${DB[@]}" --aggregate srccountry,dstcountry --top 100
run country "${DB[@]}" --aggregate country --top 100
run flows "${DB[@]}" --flows --ifnames "$T_TMP/ifnames"
run filt "${DB[@]}" --flows 'src as 64500 and dst as 64501'
run nodb --aggregate srcas --top 100

pychecks python3 - "$T_TMP" <<'PY'
import ipaddress, json, sys
from collections import Counter
import nfutil
ck = nfutil.Checks()
d = sys.argv[1]
recs = json.load(open(d + "/recs.json"))
def net(a, table):
    for cidr, v in table:
        if ipaddress.ip_address(a) in ipaddress.ip_network(cidr):
            return v
    return None
AS = [("10.1.0.0/16", 64500), ("10.2.0.0/16", 64510), ("192.0.2.0/24", 64501)]
CC = [("10.1.0.0/16", "DE"), ("10.2.0.0/16", "NL"), ("192.0.2.0/24", "FR")]
def srcas(r): return r.get("srcas") or net(r["srcip"], AS) or 0
def dstas(r): return r.get("dstas") or net(r["dstip"], AS) or 0
def table(path, f):
    rep = nfutil.last_json(path)
    return {tuple(str(v) for v in t["key"].values()) if len(t["key"]) > 1
            else str(list(t["key"].values())[0]): t[f] for t in rep["top"]}
def truth(keyfn, f="bytes"):
    c = Counter()
    for r in recs:
        for k in keyfn(r):
            c[k] += r[f]
    return dict(c)
ck.eq(table(d + "/srcas.json", "bytes"),
      truth(lambda r: [str(srcas(r))]), "srcas bytes: database AS filled in, exporter's kept")
ck.eq(table(d + "/dstas.json", "flows"),
      dict(Counter(str(dstas(r)) for r in recs)),
      "dstas flows")
ck.eq(table(d + "/as.json", "packets"),
      truth(lambda r: [str(srcas(r)), str(dstas(r))], "packets"),
      "as (both sides) packets")
cc = lambda a: net(a, CC) or "??"
ck.eq(table(d + "/cc.json", "bytes"),
      truth(lambda r: [(cc(r["srcip"]), cc(r["dstip"]))]),
      "srccountry,dstcountry bytes")
ck.eq(table(d + "/country.json", "flows"),
      {k: v for k, v in Counter(x for r in recs for x in
                                (cc(r["srcip"]), cc(r["dstip"]))).items()},
      "country (both sides) flows")
flows = [json.loads(l) for l in open(d + "/flows.json")]
ck.eq(len(flows), len(recs), "--flows prints every record")
ck.eq(Counter(f.get("src_country") for f in flows),
      Counter(net(r["srcip"], CC) for r in recs), "--flows src_country")
ck.eq(sum(1 for f in flows if f["srcas"] == 64500),
      sum(1 for r in recs if srcas(r) == 64500), "--flows srcas filled")
names = Counter((f["inif"], f.get("inif_name")) for f in flows)
ck.ok(set(names) == {(1, "uplink-a"), (2, "core"), (3, "evil\\x1b[31mred")},
      "--ifnames: exporter entry before '*', '*' as fallback, escapes"
      " sanitized: %s" % sorted(names))
ck.ok(all(f.get("outif_name") == "core" for f in flows), "outif names")
filt = [json.loads(l) for l in open(d + "/filt.json")]
ck.eq(len(filt), sum(1 for r in recs if srcas(r) == 64500 and
                     dstas(r) == 64501),
      "the filter 'src as 64500 and dst as 64501' sees the database's AS")
ck.eq(table(d + "/nodb.json", "flows"),
      {k: v for k, v in Counter(str(r.get("srcas", 0)) for r in recs).items()},
      "without databases srcas stays as exported")
PY

timeout 10 "$NFTOP" --batch --read "$T_TMP/geo.pcap" --asn "$T_TMP/nope.mmdb" \
    >/dev/null 2>"$T_TMP/bad.err"
[ $? -ne 0 ] && grep -q nope.mmdb "$T_TMP/bad.err"
ok $? "a database that cannot be opened is an error: $(head -c 120 "$T_TMP/bad.err")"
timeout 10 "$NFTOP" --batch --read "$T_TMP/geo.pcap" --geoip "$T_TMP/ifnames" \
    >/dev/null 2>"$T_TMP/bad2.err"
[ $? -ne 0 ]
ok $? "a file that is not a database is an error: $(head -c 120 "$T_TMP/bad2.err")"
printf '127.0.0.1 x name\n' >"$T_TMP/badif"
timeout 10 "$NFTOP" --batch --read "$T_TMP/geo.pcap" --ifnames "$T_TMP/badif" \
    >/dev/null 2>"$T_TMP/bad3.err"
[ $? -ne 0 ] && grep -q "badif:1" "$T_TMP/bad3.err"
ok $? "a bad names file is refused with FILE:LINE"

end_testing
