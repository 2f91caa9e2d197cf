#!/usr/bin/env python3
"""seed.py - first inputs for the decoder fuzz targets, in their chunk
format (fuzz-decoder.h: [len_hi len_lo bytes] per datagram; fuzz-pkt.c:
[link len_hi len_lo bytes] per packet), taken from real captures: the
shared corpus and pcaps written by flowblast and pcapgen.

usage: seed.py SHARED_DIR TOOLS_DIR OUT_DIR   (run once; make fuzz grows it)
"""
import os, struct, subprocess, sys, tempfile

shared, tools, out = sys.argv[1:4]


def pcap_payloads(path):
    """UDP payloads (or whole frames) of a classic Ethernet pcap."""
    d = open(path, 'rb').read()
    if len(d) < 24 or d[:4] not in (b'\xd4\xc3\xb2\xa1', b'\xa1\xb2\xc3\xd4'):
        return [], []
    end = '<' if d[:4] == b'\xd4\xc3\xb2\xa1' else '>'
    link = struct.unpack(end + 'I', d[20:24])[0]
    off, udp, frames = 24, [], []
    while off + 16 <= len(d):
        _, _, cl, _ = struct.unpack(end + 'IIII', d[off:off + 16])
        pkt = d[off + 16:off + 16 + cl]
        off += 16 + cl
        frames.append(pkt)
        if link == 1 and len(pkt) > 42 and pkt[12:14] == b'\x08\x00' \
                and pkt[23] == 17:
            ihl = (pkt[14] & 15) * 4
            udp.append(pkt[14 + ihl + 8:])
    return udp, frames


def chunks(dgrams):
    return b''.join(struct.pack('>H', min(len(x), 0x3fff)) + x[:0x3fff]
                    for x in dgrams)


def save(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    with open(os.path.join(out, target, name), 'wb') as f:
        f.write(data[:65536])


tmp = tempfile.mkdtemp()
for fmt, target in (('v5', 'nf5'), ('v9', 'nf9'), ('ipfix', 'ipfix')):
    p = os.path.join(tmp, fmt + '.pcap')
    subprocess.run([os.path.join(tools, 'flowblast'), '-f', fmt, '-n', '200',
                    '-k', '5', '-w', p, '-s', '1', '-S', '1700000000', '-q',
                    '-E', '2'], check=True, stdout=subprocess.DEVNULL)
    udp, _ = pcap_payloads(p)
    save(target, 'flowblast', chunks(udp[:12]))
corpus = os.path.join(shared, 'corpus')
for sub in ('akvorado', 'tcpdump'):
    for fn in sorted(os.listdir(os.path.join(corpus, sub))):
        if not fn.endswith('.pcap'):
            continue
        udp, _ = pcap_payloads(os.path.join(corpus, sub, fn))
        for target, test in (('sflow', lambda x: x[:4] == b'\0\0\0\x05'),
                             ('nf9', lambda x: x[:2] == b'\0\x09'),
                             ('ipfix', lambda x: x[:2] == b'\0\x0a'),
                             ('nf5', lambda x: x[:2] == b'\0\x05')):
            sel = [x for x in udp if test(x)]
            if sel:
                save(target, sub + '-' + fn, chunks(sel[:8]))
for fn in sorted(os.listdir(os.path.join(corpus, 'logstash-codec-netflow'))):
    if fn.endswith('.dat'):
        d = open(os.path.join(corpus, 'logstash-codec-netflow', fn), 'rb').read()
        target = {5: 'nf5', 9: 'nf9', 10: 'ipfix'}.get(d[1] if len(d) > 1 else 0)
        if target:
            save(target, 'logstash-' + fn, chunks([d]))
p = os.path.join(tmp, 'traffic.pcap')
subprocess.run([os.path.join(tools, 'pcapgen'), '-o', p, '-p', '300', '-F',
                '40', '-s', '1'], check=True, stdout=subprocess.DEVNULL)
_, frames = pcap_payloads(p)
save('pkt', 'pcapgen', b''.join(bytes([0]) + struct.pack('>H', len(f)) + f
                                for f in frames[:200]))
