#!/usr/bin/env python3
"""filter_oracle.py - runs, for tests/integ/filter-oracle.t, every filter
of filter-oracle.tsv through the installed `nfdump -Z` and through nftop's
--filter, a few at a time, and writes one line per filter:

  filter <TAB> nfdump rc <TAB> nfdump message <TAB> nftop rc <TAB>
  nftop message (nfdump's part, before nftop's "(column ...)")

usage: filter_oracle.py NFTOP EMPTY_PCAP TSV OUT
"""
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def one(nftop, pcap, flt):
    p = subprocess.run(["nfdump", "-Z", flt], capture_output=True,
                       text=True, timeout=60)
    live = next((ln for ln in (p.stderr + p.stdout).splitlines()
                 if ln.startswith(("Line ", "File "))), "")
    q = subprocess.run([nftop, "--batch", "--read", pcap, "--flows",
                        "--history", "16", "--max-keys", "16", "--filter",
                        flt], capture_output=True, text=True, timeout=60)
    m = re.search(r"^nftop: filter: (.*) \(column \d+", q.stderr, re.M)
    return "\t".join([flt, str(p.returncode), live, str(q.returncode),
                      m.group(1) if m else q.stderr.strip()[:200]])


def main():
    nftop, pcap, tsv, out = sys.argv[1:5]
    with open(tsv) as f:
        flts = [ln.split("\t")[0] for ln in f.read().splitlines()[1:]]
    with ThreadPoolExecutor(6) as ex:
        res = list(ex.map(lambda x: one(nftop, pcap, x), flts))
    with open(out, "w") as f:
        f.write("\n".join(res) + "\n")


if __name__ == "__main__":
    main()
