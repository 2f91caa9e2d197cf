#!/bin/bash
# filter-oracle.t - nftop accepts and rejects the filters Debian's nfdump
# 1.7.1 accepts and rejects: every filter of ../shared/filter-oracle.tsv is
# given to the installed `nfdump -Z` (exit 0 or 254) and to nftop's
# --filter, and the verdicts must agree.
#
# Where 1.7.1 and current nfdump (1.7.5+, the TSV's other column) differ,
# nftop follows FILTER.md section 8: the 1.7.5+ grammar plus the classic
# spellings.  The filters where that makes nftop disagree with 1.7.1 are
# listed below with the reason, and for each the test checks that nftop
# agrees with 1.7.5+ instead.  Every other filter must agree with 1.7.1.
#
# For each filter nftop rejects, its message must carry nfdump's own text
# ("Line 1: <msg> at '<token>'"), as 1.7.1 prints it live or as the TSV
# records 1.7.5+'s, before nftop's "(column N; ...)" addition.
. "$(dirname "$0")/../lib.sh"

need nfdump python3 timeout
TSV="$SHARED/filter-oracle.tsv"
[ -r "$TSV" ] || skip_all "$TSV not found"

# filter <TAB> why nftop differs from 1.7.1 (and agrees with 1.7.5+).
declare -A DIFF
while IFS=$'\t' read -r f why; do
	DIFF["$f"]=$why
done <<'EOF'
bgp next ip 10.0.0.1	1.7.5+ syntax: "bgp next"
engine id 1	1.7.5+ syntax: "engine id|type"
engine type 1	1.7.5+ syntax: "engine id|type"
engine type > 0	1.7.5+ syntax: "engine id|type"
etherType 0x800	1.7.5+ primitive etherType
etherType 0x86dd	1.7.5+ primitive etherType
exporter id 1	1.7.5+ syntax: "exporter id|sysid|ip"
exporter ip 10.0.0.1	1.7.5+ syntax: "exporter id|sysid|ip"
exporter sysid 1	1.7.5+ syntax: "exporter id|sysid|ip"
first seen > 2024-07-11	1.7.6+ "first/last seen"
first seen > 2024-07-11T09:15	1.7.6+ "first/last seen"
first seen > 2025-01-01	1.7.6+ "first/last seen"
last seen < 2025-01-01T12:30:00.500	1.7.6+ "first/last seen"
flags =S	1.7.5+ exact flags "=LETTERS" (section 8: accept, new meaning)
flags =SA	1.7.5+ exact flags "=LETTERS" (section 8: accept, new meaning)
flags C	1.7.5+ flag letters E (ECE) and C (CWR)
flags E	1.7.5+ flag letters E (ECE) and C (CWR)
geo IN	country codes are read in context, so keywords work (section 9.4)
src geo in	country codes are read in context, so keywords work (section 9.4)
icmp code 0	1.7.5+ syntax: "icmp type|code"
icmp type 8	1.7.5+ syntax: "icmp type|code"
icmp-type > 3	1.7.5+ allows a comparator (section 8: accept new)
ident 'router-1'	1.7.5+ takes quoted strings everywhere (section 1.4)
ip in [ 10.0.0.0/8, 192.168.0.0/16, 2001:db8::/32 ]	1.7.1 bug: comma before a CIDR element (fixed for nfdump#600)
max ttl equal	1.7.6+ ttl primitives
min ttl 1	1.7.6+ ttl primitives
min ttl > 10	1.7.6+ ttl primitives
ttl 64	1.7.6+ ttl primitives
ttl > 200	1.7.6+ ttl primitives
ttl equal	1.7.6+ ttl primitives
nat pblock start > 1000	1.7.5+ syntax: "nat pblock", "port in nat pblock"
port in nat pblock	1.7.5+ syntax: "nat pblock", "port in nat pblock"
nat port 1024	1.7.5+ qualifiers nat, src nat, tun, src tun
src nat ip 10.0.0.1	1.7.5+ qualifiers nat, src nat, tun, src tun
src nat net 10.0.0.0/8	1.7.5+ qualifiers nat, src nat, tun, src tun
src tun ip 10.0.0.1	1.7.5+ qualifiers nat, src nat, tun, src tun
tun ip 10.0.0.1	1.7.5+ qualifiers nat, src nat, tun, src tun
payload dns name example	1.7.7+ payload dns / tls
payload tls sni example	1.7.7+ payload dns / tls
pf action block	1.7.5+ pflog primitives
prev as in [ 3356 ]	1.7.5+ allows prev/next with "as in"
proto ipv6	1.7.5+ allows "proto ipv6" (41)
flowdir 2	refused as in 1.7.5+: the direction field is 0 or 1
ingress ACE 5	section 8: ACE/XACE were removed in 1.7.5; reject
EOF

# Rejections whose message is not nfdump's "Line N: ... at" form.
declare -A MSGDIFF
MSGDIFF["host www.example.invalid"]="nfdump prints its resolver's error; nftop looks names up in /etc/hosts only and says so in nfdump's 1.7.5+ grammar words"

python3 -c 'import struct, sys
open(sys.argv[1], "wb").write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4,
    0, 0, 65535, 1))' "$T_TMP/empty.pcap"

python3 "$(dirname "$0")/filter_oracle.py" "$NFTOP" "$T_TMP/empty.pcap" \
    "$TSV" "$T_TMP/runs" || skip_all "could not run nfdump and nftop"

# Fields split by hand: read would merge the empty ones between tabs.
T=$'\t'
declare -A LIVE_RC LIVE_MSG OUR_RC OUR_MSG
while IFS= read -r line; do
	f=${line%%"$T"*} rest=${line#*"$T"}
	LIVE_RC[$f]=${rest%%"$T"*} rest=${rest#*"$T"}
	LIVE_MSG[$f]=${rest%%"$T"*} rest=${rest#*"$T"}
	OUR_RC[$f]=${rest%%"$T"*} OUR_MSG[$f]=${rest#*"$T"}
done <"$T_TMP/runs"

ndiff=0
nagree=0
nmsg=0
while IFS= read -r line; do
	f=${line%%"$T"*} rest=${line#*"$T"}
	rc171=${rest%%"$T"*} rest=${rest#*"$T"}
	msg171=${rest%%"$T"*} rest=${rest#*"$T"}
	rchead=${rest%%"$T"*} msghead=${rest#*"$T"}
	[ "$f" = filter ] && continue
	live_rc=${LIVE_RC[$f]} live_msg=${LIVE_MSG[$f]}
	our_rc=${OUR_RC[$f]} got=${OUR_MSG[$f]}
	if [ "$live_rc" != "$rc171" ]; then
		diag "nfdump -Z '$f' exits $live_rc, the TSV says $rc171"
	fi
	acc171=$([ "$live_rc" = 0 ] && echo accept || echo reject)
	acchead=$([ "$rchead" = 0 ] && echo accept || echo reject)
	ours=$([ "$our_rc" = 0 ] && echo accept || echo reject)
	if [ -n "${DIFF[$f]+x}" ]; then
		ndiff=$((ndiff + 1))
		[ "$ours" != "$acc171" ] && [ "$ours" = "$acchead" ]
		ok $? "'$f': $ours, unlike 1.7.1 ($acc171), like 1.7.5+: ${DIFF[$f]}"
	else
		[ "$ours" = "$acc171" ]
		ok $? "'$f': $ours, as nfdump 1.7.1"
		[ "$ours" = "$acc171" ] && nagree=$((nagree + 1))
	fi
	[ "$ours" = reject ] || continue
	if [ -n "${MSGDIFF[$f]+x}" ]; then
		case "$got" in
		"Line 1: "*" at '"*"'") ok 0 "message for '$f': $got (${MSGDIFF[$f]})" ;;
		*) ok 1 "message for '$f': '$got' is not in nfdump's form" ;;
		esac
		continue
	fi
	nmsg=$((nmsg + 1))
	[ "$got" = "$live_msg" ] || [ "$got" = "$msghead" ] ||
	    [ "$got" = "$msg171" ]
	same=$?
	ok $same "message for '$f': $got"
	if [ $same -ne 0 ]; then
		diag "1.7.1: $live_msg"
		diag "1.7.5+: $msghead"
	fi
done <"$TSV"

diag "$nagree filters agree with nfdump 1.7.1; $ndiff differ as FILTER.md section 8 says; $nmsg rejection messages are nfdump's"
echo "1..$T_NUM"
done_testing
