#!/bin/sh
# Malformed input, cases C55-C80 and C82 of shared/research/reliability.md
# (b): sFlow v5 and the capture path.  malformed_more.py builds each
# case's datagrams or frames on malformed_cases.py's harness, interleaves
# a good v5, v9 and IPFIX exporter's traffic (re-framed for the case's
# link type), and runs $NFTOP on it: from a pcap (--read --batch), or live
# over UDP on 127.0.0.0/8 when the bytes would not pass for an export in a
# file.  Each line checks the case's named counters exactly (the source's,
# or the meter's for captured packets), that nothing crashed (exit 0, no
# sanitizer report), conservation (datagrams = decoded + malformed +
# unsupported + denied; frames = datagrams + metered + not IP) and that
# the good exporters' sources, aggregate rows and totals equal a run
# without the bad input.  C80's lines read damaged pcap/pcapng files.
# C81 and C83 need a terminal: tests/tui/strings.t.
. "$(dirname "$0")/../lib.sh"
need python3

gen="$(dirname "$0")/malformed_more.py"
n=$(python3 "$gen" count) || skip_all "malformed_more.py count failed"
plan "$n"

NFTOP="$NFTOP" python3 "$gen" run "$T_TMP" >"$T_TMP/results" \
    2>"$T_TMP/errors"
rc=$?
tab=$(printf '\t')
while IFS="$tab" read -r st desc a b; do
	case $st in
	PASS)	ok 0 "$desc" ;;
	FAIL)	ok 1 "$desc"
		diag "$a" ;;
	TODO_FAIL)
		T_NUM=$((T_NUM + 1))
		echo "not ok $T_NUM - $desc # TODO $a"
		[ -n "$b" ] && diag "$b" ;;
	TODO_PASS)
		T_NUM=$((T_NUM + 1))
		echo "ok $T_NUM - $desc # TODO $a" ;;
	*)	echo "$st" ;;
	esac
done <"$T_TMP/results"
if [ "$rc" -ne 0 ]; then
	diag "malformed_more.py exited with $rc:"
	sed 's/^/# /' "$T_TMP/errors"
	T_FAILED=$((T_FAILED + 1))
fi
done_testing
