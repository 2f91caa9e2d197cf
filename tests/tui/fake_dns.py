#!/usr/bin/env python3
"""A tiny DNS server on 127.0.0.1 for the reverse-DNS test (dns.t).

Answers PTR queries for IPv4 addresses by the last octet modulo 5:
  0  h-A-B-C-D.example                       a plain name
  1  esc-A-B-C-D<ESC>[31m.example            a terminal escape
  2  crlf-A-B-C-D<CR><LF>.example            carriage return, line feed
  3  bidi-A-B-C-D<U+202E>elpmaxe             a right-to-left override
  4  (no answer at all)                      a server that never answers
IPv6 (ip6.arpa) queries get "v6.example".  With --silent it never
answers anything.  With --hostile every IPv4 PTR answer is an attack on
the terminal (strings.t), by the last octet modulo 4:
  0  an OSC window-title sequence: ESC ] 0;PWNED BEL
  1  a screen clear and a forged line: ESC [2J CR LF
  2  U+202E, U+009B (the C1 CSI) and invalid UTF-8 (FF FE)
  3  a '.' inside a label (octet % 8 = 3: h3.dot.example); a
     253-character name (254 bytes on the wire; octet % 8 = 7)
Every query is appended to the log file, one line
"TIME QNAME".  It stops by itself after --lifetime seconds.

usage: fake_dns.py PORTFILE LOGFILE [--silent|--hostile] [--lifetime S]
"""
import socket
import struct
import sys
import time


def hostile(d):
    tag = b"h%d" % d
    kind = d % 4
    if kind == 0:
        return [tag + b"\x1b]0;PWNED\x07", b"example"]
    if kind == 1:
        return [tag + b"\x1b[2J\r\nFORGED", b"example"]
    if kind == 2:
        return [tag + "\u202e\u009b".encode() + b"\xff\xfe", b"example"]
    if d % 8 == 3:
        return [tag + b".dot", b"example"]
    # 4 + 3 x 64 + 57 + 1 = 254 bytes on the wire: the longest name
    return [tag[:1] + b".b", b"L" * 63, b"M" * 63, b"N" * 63, b"O" * 56]


def names(qname, evil=False):
    # Resolvers randomize the case of the name (0x20 bits): compare lower.
    qname = qname.lower()
    labels = qname.split(".")
    if evil and qname.endswith(".in-addr.arpa") and len(labels) == 6:
        return hostile(int(labels[0]))
    if qname.endswith(".in-addr.arpa") and len(labels) == 6:
        a, b, c, d = labels[3], labels[2], labels[1], labels[0]
        tag = "%s-%s-%s-%s" % (a, b, c, d)
        kind = int(d) % 5
        if kind == 0:
            return [b"h-" + tag.encode(), b"example"]
        if kind == 1:
            return [b"esc-" + tag.encode() + b"\x1b[31m", b"example"]
        if kind == 2:
            return [b"crlf-" + tag.encode() + b"\r\n", b"example"]
        if kind == 3:
            return [b"bidi-" + tag.encode() + "\u202e".encode() +
                    b"elpmaxe"]
        return None
    if qname.endswith(".ip6.arpa"):
        return [b"v6", b"example"]
    return None


def parse_qname(pkt, off):
    labels = []
    while off < len(pkt):
        n = pkt[off]
        off += 1
        if n == 0:
            break
        labels.append(pkt[off:off + n].decode("ascii", "replace"))
        off += n
    return ".".join(labels), off


def answer(pkt, labels):
    qid = pkt[:2]
    _, off = parse_qname(pkt, 12)
    question = pkt[12:off + 4]
    rdata = b"".join(bytes([len(l)]) + l for l in labels) + b"\0"
    head = qid + struct.pack(">HHHHH", 0x8180, 1, 1, 0, 0)
    rr = struct.pack(">HHHIH", 0xc00c, 12, 1, 60, len(rdata)) + rdata
    return head + question + rr


def main():
    portfile, logfile = sys.argv[1], sys.argv[2]
    silent = "--silent" in sys.argv
    evil = "--hostile" in sys.argv
    lifetime = 120.0
    if "--lifetime" in sys.argv:
        lifetime = float(sys.argv[sys.argv.index("--lifetime") + 1])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(0.5)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    import os
    os.rename(portfile + ".tmp", portfile)
    end = time.time() + lifetime
    log = open(logfile, "a")
    while time.time() < end:
        try:
            pkt, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        if len(pkt) < 12:
            continue
        qname, _ = parse_qname(pkt, 12)
        log.write("%.3f %s\n" % (time.time(), qname))
        log.flush()
        if silent:
            continue
        labels = names(qname, evil)
        if labels is not None:
            s.sendto(answer(pkt, labels), peer)


if __name__ == "__main__":
    main()
