#!/bin/sh
# Malformed input, cases C01-C54 of shared/research/reliability.md (b): the
# front door, NetFlow v5, NetFlow v9 and IPFIX.  malformed_cases.py builds
# each case's datagrams, interleaves a good v5, v9 and IPFIX exporter's
# traffic, and runs $NFTOP on it: from a pcap (--read --batch), or live
# over UDP on 127.0.0.0/8 when the bytes would not pass for an export in a
# file (or the case is about the socket).  Each line checks the case's
# named counters exactly, that nothing crashed (exit 0, no sanitizer
# report), conservation (datagrams = decoded + malformed + unsupported +
# denied) and that the good exporters' sources, aggregate rows and totals
# equal a run without the bad input.  Known nftop bugs are TAP TODO lines.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-cases.sh"
need python3

run_cases "$(dirname "$0")/malformed_cases.py"
