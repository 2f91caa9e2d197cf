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
. "$(dirname "$0")/lib-cases.sh"
need python3

run_cases "$(dirname "$0")/malformed_more.py"
