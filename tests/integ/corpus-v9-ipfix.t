#!/bin/sh
# corpus-v9-ipfix.t - every NetFlow v9 and IPFIX scenario of
# ../shared/corpus (MANIFEST.md: logstash-codec-netflow .dat, telegraf
# .bin, akvorado and pmacct pcaps, nDPI's netflow capture) decoded by
# `nftop --batch --read` and compared, field by field, with the values the
# source project's own tests expect.
#
# corpus_check.py does the work and prints the TAP: it builds one pcap per
# scenario (raw payloads wrapped into Ethernet/IPv4/UDP to 127.0.0.1:2055,
# capture files merged), runs nftop for the flow records (--flows --format
# json) and for the per-exporter counters (--format json), and translates
# each oracle's names, units and conventions into nftop's.  Expectations
# judged wrong are in its DISPUTES table, nftop's known gaps in GAPS: both
# come out as TODO tests with the reason.  Files only, no network.
. "$(dirname "$0")/../lib.sh"
need python3
[ -f "$CORPUS/MANIFEST.md" ] || skip_all "no corpus at $CORPUS"
[ -x "$NFTOP" ] || skip_all "no nftop binary at $NFTOP"

python3 "$(dirname "$0")/corpus_check.py" --nftop "$NFTOP" \
    --corpus "$CORPUS" --tmp "$T_TMP"
