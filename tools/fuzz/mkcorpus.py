#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write the fuzzer's seed corpus from the layouts the tests use.

Each seed is one input in ccda_fuzz.c's format: a 52-byte header (page
size, offset mode, block sizes, guest-base skew, six BARs, the MSI-X
capability) and then a TDISP interface report.  The layouts are the GPU,
NIC, NVMe, multi-range and virtio (sysfs) devices of the KUnit suites, the
tools' tests and ccda-bench, each under every page size, offset mode and
block-size set, so the fuzzer starts from inputs the core accepts.

Usage: mkcorpus.py OUTDIR
"""

import hashlib
import os
import struct
import sys

K, M, G = 1 << 10, 1 << 20, 1 << 30
MEM, MEM64, PREFETCH = 1, 2, 4
MSIX_TABLE, MSIX_PBA, NON_TEE = 1, 2, 4


def header(page, mode, blocks, skew, bars, msix):
    out = struct.pack("<BBBB", page, mode, blocks, skew)
    for i in range(6):
        start, size, flags = bars.get(i, (0, 0, 0))
        if size:
            lg = size.bit_length() - 1
            out += struct.pack("<BBI", lg, flags, start // size)
        else:
            out += struct.pack("<BBI", 0, 0, 0)
    entries, tbir, toff, pbir, poff = msix or (0, 0, 0, 0, 0)
    return out + struct.pack("<HBBII", entries, tbir, pbir, toff, poff)


def report(ranges, dsi=b""):
    out = struct.pack("<HHHHII", 0, 0, 0, 0, 0, len(ranges))
    for pa, size, flags, bar in ranges:
        out += struct.pack("<QII", pa >> 12, size >> 12, flags | (bar << 16))
    return out + struct.pack("<I", len(dsi)) + dsi


def gpu():
    bars = {0: (0xF0000000, 16 * M, MEM),
            1: (0x4000000000, 64 * G, MEM | MEM64 | PREFETCH),
            3: (0xE0000000, 32 * M, MEM)}
    msix = (64, 0, 8 * M, 0, 8 * M + 4 * K)
    ranges = [(0xF0000000, 8 * M, 0, 0),
              (0xF0000000 + 8 * M, 4 * K, MSIX_TABLE | NON_TEE, 0),
              (0xF0000000 + 8 * M + 4 * K, 4 * K, MSIX_PBA | NON_TEE, 0),
              (0xF0000000 + 8 * M + 64 * K, 8 * M - 64 * K, 0, 0),
              (0x4000000000, 64 * G, 0, 1),
              (0xE0000000, 16 * M, NON_TEE, 3),
              (0xE0000000 + 16 * M, 16 * M, 0, 3)]
    return bars, msix, ranges


def nic():
    bars = {0: (0xFE000000, 1 * M, MEM), 2: (0xFE100000, 16 * K, MEM)}
    msix = (128, 0, 256 * K, 0, 256 * K + 4 * K)
    ranges = [(0xFE000000, 256 * K, 0, 0),
              (0xFE000000 + 256 * K, 4 * K, MSIX_TABLE | NON_TEE, 0),
              (0xFE000000 + 260 * K, 4 * K, MSIX_PBA | NON_TEE, 0),
              (0xFE000000 + 264 * K, 1 * M - 264 * K, 0, 0),
              (0xFE100000, 16 * K, NON_TEE, 2)]
    return bars, msix, ranges


def nvme():
    bars = {0: (0xFEBF0000, 16 * K, MEM | MEM64), 4: (0xFEBF4000, 4 * K, MEM)}
    msix = (32, 0, 8 * K, 4, 0)
    ranges = [(0xFEBF0000, 8 * K, 0, 0),
              (0xFEBF0000 + 8 * K, 4 * K, MSIX_TABLE | NON_TEE, 0),
              (0xFEBF0000 + 12 * K, 4 * K, 0, 0),
              (0xFEBF4000, 4 * K, MSIX_PBA | NON_TEE, 4)]
    return bars, msix, ranges


def multi():
    bars = {0: (0xC0000000, 2 * M, MEM)}
    ranges = [(0xC0000000, 64 * K, 0, 0),
              (0xC0000000 + 64 * K, 64 * K, NON_TEE, 0),
              (0xC0000000 + 128 * K, 512 * K, 0, 0),
              (0xC0000000 + 1 * M, 4 * K, NON_TEE, 0),
              (0xC0000000 + 1 * M + 4 * K, 1 * M - 4 * K, 0, 0)]
    return bars, None, ranges


def virtio():
    base = 0x4000100000
    bars = {0: (base, 512 * K, MEM | MEM64 | PREFETCH)}
    msix = (3, 0, 0x8000, 0, 0x48000)
    ranges = [(base, 0x8000, 0, 0),
              (base + 0x8000, 0x1000, MSIX_TABLE | NON_TEE, 0),
              (base + 0x9000, 0x3F000, 0, 0),
              (base + 0x48000, 0x1000, MSIX_PBA | NON_TEE, 0),
              (base + 0x49000, 0x37000, 0, 0)]
    return bars, msix, ranges


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 0
    for make in (gpu, nic, nvme, multi, virtio):
        bars, msix, ranges = make()
        for page in range(3):
            for mode in range(3):
                for blocks in (0, 3, 2, 5):
                    for skew in (0, 1 | (3 << 1)):
                        data = header(page, mode, blocks, skew, bars, msix)
                        data += report(ranges, b"dsi" if blocks == 5 else b"")
                        name = hashlib.sha1(data).hexdigest()
                        with open(os.path.join(out, name), "wb") as f:
                            f.write(data)
                        n += 1
    print("%d seeds in %s" % (n, out))


if __name__ == "__main__":
    main()
