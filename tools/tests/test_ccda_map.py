#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Tests for ccda-map: drive the real binary on device directories.

Fixture directories are generated here from small descriptions (resource in
the sysfs text format, config as 256 bytes of binary config space), and one
is a copy of a real sysfs device directory (tests/fixtures/virtio-net-sysfs,
a QEMU virtio-net function).  Reports are built byte by byte in the TDISP
DEVICE_INTERFACE_REPORT layout.

Usage: test_ccda_map.py PATH/TO/ccda-map
Prints one line per case and ends with "N passed, M failed".
"""

import json
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")

IORESOURCE_MEM = 0x200
IORESOURCE_PREFETCH = 0x2000
IORESOURCE_MEM_64 = 0x100000

MSIX_TABLE, MSIX_PBA, NON_TEE = 1, 2, 4

K, M, G = 1 << 10, 1 << 20, 1 << 30


def write_device(d, bars, msix=None, cfg_len=256):
    """bars: {index: (start, size, flags)}; msix: (entries, tbir, toff, pbir, poff)."""
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "resource"), "w") as f:
        for i in range(13):
            start, size, flags = bars.get(i, (0, 0, 0))
            end = start + size - 1 if size else 0
            f.write("0x%016x 0x%016x 0x%016x\n" % (start, end, flags))
    cfg = bytearray(256)
    struct.pack_into("<HH", cfg, 0, 0x1234, 0x5678)
    if msix:
        entries, tbir, toff, pbir, poff = msix
        struct.pack_into("<H", cfg, 0x06, 0x10)  # capability list
        cfg[0x34] = 0x40
        cfg[0x40:0x42] = bytes([0x01, 0x50])  # power management, then MSI-X
        cfg[0x50:0x52] = bytes([0x11, 0x00])
        struct.pack_into("<HII", cfg, 0x52, entries - 1, toff | tbir, poff | pbir)
    with open(os.path.join(d, "config"), "wb") as f:
        f.write(bytes(cfg[:cfg_len]))


def report_bytes(ranges, dsi=b"", count=None):
    """ranges: [(pa, size, flags, bar)] in bytes; units become 4 KiB pages."""
    out = struct.pack("<HHHHII", 0, 0, 0, 0, 0,
                      len(ranges) if count is None else count)
    for pa, size, flags, bar in ranges:
        out += struct.pack("<QII", pa >> 12, size >> 12, flags | (bar << 16))
    return out + struct.pack("<I", len(dsi)) + dsi


class Case:
    def __init__(self, tool, tmp):
        self.tool, self.tmp, self.n = tool, tmp, 0

    def path(self, name):
        self.n += 1
        return os.path.join(self.tmp, "%d-%s" % (self.n, name))

    def run(self, *args):
        p = subprocess.run([self.tool, *args], capture_output=True, text=True,
                           timeout=60)
        return p.returncode, p.stdout, p.stderr

    def map(self, dev, ranges, *extra, report=None):
        rep = self.path("report.bin")
        with open(rep, "wb") as f:
            f.write(report if report is not None else report_bytes(ranges))
        return self.run("--device", dev, "--report", rep, *extra)

    def map_json(self, dev, ranges, *extra, report=None):
        rc, out, err = self.map(dev, ranges, "--json", *extra, report=report)
        return rc, json.loads(out) if out else None, err


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def segments(doc, bar):
    for b in doc["bars"]:
        if b["index"] == bar:
            return [(int(s["offset"], 16), int(s["size"], 16), s["kind"],
                     s["pa"] and int(s["pa"], 16)) for s in b["segments"]]
    raise AssertionError("no BAR%d in output" % bar)


def check_tiles(doc):
    for b in doc["bars"]:
        at = 0
        for s in b["segments"]:
            check(int(s["offset"], 16) == at, "gap or overlap at 0x%x" % at)
            at += int(s["size"], 16)
        check(at == int(b["size"], 16), "BAR%d not tiled" % b["index"])


# --- the cases ------------------------------------------------------------

# GPU: BAR0 16 MiB with the MSI-X table at 8 MiB, BAR1 64 GiB 64-bit
# prefetchable at a 64 GiB-aligned address, BAR3 32 MiB.
GPU_BARS = {
    0: (0xF0000000, 16 * M, IORESOURCE_MEM),
    1: (0x4000000000, 64 * G, IORESOURCE_MEM | IORESOURCE_MEM_64 | IORESOURCE_PREFETCH),
    3: (0xE0000000, 32 * M, IORESOURCE_MEM),
}
GPU_MSIX = (64, 0, 8 * M, 0, 8 * M + 4 * K)


def gpu_ranges():
    return [
        (0xF0000000, 8 * M, 0, 0),                      # [0, 8M) private
        (0xF0000000 + 8 * M, 4 * K, MSIX_TABLE | NON_TEE, 0),
        (0xF0000000 + 8 * M + 4 * K, 4 * K, MSIX_PBA | NON_TEE, 0),
        (0xF0000000 + 8 * M + 8 * K, 8 * M - 8 * K, 0, 0),
        (0x4000000000, 64 * G, 0, 1),                   # all of BAR1 private
        (0xE0000000, 32 * M, NON_TEE, 3),               # BAR3 shared
    ]


def test_gpu_json(c):
    dev = c.path("gpu")
    write_device(dev, GPU_BARS, GPU_MSIX)
    rc, doc, err = c.map_json(dev, gpu_ranges(), "--backend", "tdx")
    check(rc == 0, "exit %d: %s" % (rc, err))
    check(doc["error"] is None, "error set")
    check_tiles(doc)
    check(segments(doc, 0) == [
        (0, 8 * M, "private", 0xF0000000),
        (8 * M, 4 * K, "msix-table", None),
        (8 * M + 4 * K, 4 * K, "msix-pba", None),
        (8 * M + 8 * K, 8 * M - 8 * K, "private", 0xF0000000 + 8 * M + 8 * K),
    ], "BAR0 segments %s" % segments(doc, 0))
    check(segments(doc, 1) == [(0, 64 * G, "private", 0x4000000000)], "BAR1")
    check(segments(doc, 3) == [(0, 32 * M, "shared", None)], "BAR3")
    plan = doc["plan"]
    check(plan["backend"] == "tdx", "backend")
    check(plan["block_sizes"] == ["0x1000", "0x200000", "0x40000000"], "sizes")
    # BAR0 [0,8M): 4 x 2M; [8M+8K, 16M): 510 x 4K... then 2M blocks
    calls = [(x["bar"], int(x["addr"], 16), int(x["pa"], 16), int(x["size"], 16))
             for x in plan["calls"]]
    check(plan["count"] == len(calls), "count")
    bar1 = [x for x in calls if x[0] == 1]
    check(len(bar1) == 64 and all(x[3] == G for x in bar1), "BAR1 in 64 1G calls")
    for bar, addr, pa, size in calls:
        check(addr % size == 0 and pa % size == 0, "unaligned block")
    covered = sum(x[3] for x in calls if x[0] == 0)
    check(covered == 16 * M - 8 * K, "BAR0 private bytes covered: 0x%x" % covered)
    # [8M+8K, 10M) needs 4K blocks (510 of them), then [10M, 16M) is 3 x 2M
    check(len([x for x in calls if x[0] == 0]) == 4 + 510 + 3, "BAR0 minimal")


def test_gpu_text(c):
    dev = c.path("gpu")
    write_device(dev, GPU_BARS, GPU_MSIX)
    rc, out, err = c.map(dev, gpu_ranges())
    check(rc == 0, "exit %d: %s" % (rc, err))
    check("BAR1" in out and "msix-table" in out, "table output")
    check("plan for tdx (4K|2M|1G): 581 calls" in out, out.splitlines()[-1])


def test_range_backends(c):
    dev = c.path("gpu")
    write_device(dev, GPU_BARS, GPU_MSIX)
    for be in ("arm-cca", "cove"):
        rc, doc, err = c.map_json(dev, gpu_ranges(), "--backend", be)
        check(rc == 0, "%s exit %d: %s" % (be, rc, err))
        # one call per private segment: two in BAR0, one in BAR1
        check(doc["plan"]["count"] == 3, "%s count %d" % (be, doc["plan"]["count"]))
        check(doc["plan"]["block_sizes"] == [], "%s block sizes" % be)


def test_sev_2m(c):
    dev = c.path("gpu")
    write_device(dev, GPU_BARS, GPU_MSIX)
    rc, doc, _ = c.map_json(dev, gpu_ranges(), "--backend", "sev-tio")
    check(rc == 0, "exit")
    bar1 = [x for x in doc["plan"]["calls"] if x["bar"] == 1]
    check(len(bar1) == 64 * G // (2 * M), "64 GiB in 2 MiB blocks: %d" % len(bar1))


def test_msix_from_config_without_report(c):
    # The report covers all of BAR0 as shared, but config space puts the
    # table at 8 MiB: those pages are MSI-X whatever the report says.
    dev = c.path("gpu")
    write_device(dev, GPU_BARS, GPU_MSIX)
    ranges = [(0xF0000000, 16 * M, NON_TEE, 0)]
    rc, doc, err = c.map_json(dev, ranges)
    check(rc == 0, "exit %d %s" % (rc, err))
    kinds = [s[2] for s in segments(doc, 0)]
    check(kinds == ["shared", "msix-table", "msix-pba", "shared"], kinds)


def test_real_sysfs_dir(c):
    # A copy of /sys/bus/pci/devices/0000:00:03.0 from a QEMU guest:
    # BAR0 512 KiB 64-bit at 0x4000100000, MSI-X table at 0x8000 (3
    # vectors), PBA at 0x48000, both in BAR0.
    dev = os.path.join(FIXTURES, "virtio-net-sysfs")
    base = 0x4000100000
    ranges = [
        (base, 0x8000, 0, 0),
        (base + 0x8000, 0x1000, MSIX_TABLE | NON_TEE, 0),
        (base + 0x9000, 0x3F000, 0, 0),
        (base + 0x48000, 0x1000, MSIX_PBA | NON_TEE, 0),
        (base + 0x49000, 0x37000, 0, 0),
    ]
    rc, doc, err = c.map_json(dev, ranges)
    check(rc == 0, "exit %d %s" % (rc, err))
    check_tiles(doc)
    check([s[2] for s in segments(doc, 0)] ==
          ["private", "msix-table", "private", "msix-pba", "private"],
          segments(doc, 0))
    check(doc["bars"][0]["start"] == "0x4000100000", "BAR start")


def test_live_sysfs(c):
    # Any device of this machine whose config space we may read whole, with
    # a report that shares all of each memory BAR: the tool must accept it.
    root = "/sys/bus/pci/devices"
    if not os.path.isdir(root):
        return "skip: no /sys/bus/pci"
    tried = 0
    for bdf in sorted(os.listdir(root)):
        dev = os.path.join(root, bdf)
        try:
            if os.path.getsize(os.path.join(dev, "config")) < 256:
                continue
            lines = open(os.path.join(dev, "resource")).read().split("\n")[:6]
        except OSError:
            continue
        ranges = []
        for i, line in enumerate(lines):
            start, end, flags = (int(x, 16) for x in line.split())
            if flags & IORESOURCE_MEM and end > start:
                ranges.append((start, end - start + 1, NON_TEE, i))
        if not ranges:
            continue
        tried += 1
        rc, doc, err = c.map_json(dev, ranges)
        check(rc == 0, "%s: exit %d %s %s" % (bdf, rc, err, doc))
        check_tiles(doc)
    return None if tried else "skip: no readable device with memory BARs"


def test_reject_missing_bar(c):
    dev = c.path("gpu")
    write_device(dev, GPU_BARS, GPU_MSIX)
    rc, doc, _ = c.map_json(dev, gpu_ranges())
    check(rc == 0, "valid input first")
    rc, doc, _ = c.map_json(dev, gpu_ranges() + [(0xD0000000, 4 * K, 0, 5)])
    check(rc == 1, "exit %d" % rc)
    check(doc["error"]["errno"] == "EINVAL", doc["error"])
    check(doc["error"]["stage"] == "map", doc["error"])
    check(doc["error"]["range"] == 6, doc["error"])
    check(doc["error"]["reason"], "reason")
    check(doc["bars"] == [] and doc["plan"] is None, "no partial output")


def test_reject_upper_half(c):
    dev = c.path("gpu")
    write_device(dev, GPU_BARS, GPU_MSIX)
    rc, doc, _ = c.map_json(dev, gpu_ranges() + [(0x4000000000, 4 * K, 0, 2)])
    check(rc == 1 and doc["error"]["errno"] == "EINVAL", doc)


def test_reject_private_msix(c):
    dev = c.path("gpu")
    write_device(dev, GPU_BARS, GPU_MSIX)
    ranges = [(0xF0000000, 16 * M, 0, 0)]  # private over the table
    rc, doc, _ = c.map_json(dev, ranges)
    check(rc == 1 and doc["error"]["errno"] == "EINVAL", doc)
    ranges = gpu_ranges()
    ranges[1] = (0xF0000000 + 8 * M, 4 * K, MSIX_TABLE, 0)  # TEE MSI-X
    rc, doc, _ = c.map_json(dev, ranges)
    check(rc == 1 and doc["error"]["errno"] == "EOPNOTSUPP", doc)


def test_reject_truncated_report(c):
    dev = c.path("gpu")
    write_device(dev, GPU_BARS, GPU_MSIX)
    good = report_bytes(gpu_ranges())
    rc, _, _ = c.map_json(dev, None, report=good)
    check(rc == 0, "valid first")
    for cut in (0, 15, 16, 17, len(good) - 1):
        rc, doc, _ = c.map_json(dev, None, report=good[:cut])
        check(rc == 1 and doc["error"]["errno"] == "EBADMSG",
              "cut %d: %s" % (cut, doc))
        check(doc["error"]["stage"] == "report", doc["error"])
    rc, doc, _ = c.map_json(dev, None, report=good + b"\0")
    check(rc == 1 and doc["error"]["errno"] == "EMSGSIZE", doc)


def test_64k_pages(c):
    dev = c.path("gpu")
    write_device(dev, GPU_BARS, GPU_MSIX)
    rc, doc, err = c.map_json(dev, gpu_ranges(), "--page-size", "4096")
    check(rc == 0, "4K pages accept it")
    # [8M+8K, 16M) private starts inside a 64K page holding MSI-X: refused
    rc, doc, _ = c.map_json(dev, gpu_ranges(), "--page-size", "65536")
    check(rc == 1 and doc["error"]["errno"] == "EINVAL", doc)
    ranges = [
        (0xF0000000, 8 * M, 0, 0),
        (0xF0000000 + 8 * M, 4 * K, MSIX_TABLE | NON_TEE, 0),
        (0xF0000000 + 8 * M + 4 * K, 4 * K, MSIX_PBA | NON_TEE, 0),
        (0xF0000000 + 8 * M + 8 * K, 56 * K, NON_TEE, 0),
        (0xF0000000 + 8 * M + 64 * K, 8 * M - 64 * K, 0, 0),
    ]
    rc, doc, err = c.map_json(dev, ranges, "--page-size", "65536")
    check(rc == 0, "64K-aligned private runs accepted: %s" % (doc or err))


def test_relative_mode(c):
    # The TSM reports BAR3 at PA 0x100000000 (its own view): bar-align
    # still works (PA mod 32M == 0), relative makes it offset 0 too; a
    # later range sits at its PA distance.
    dev = c.path("gpu")
    write_device(dev, GPU_BARS, GPU_MSIX)
    ranges = gpu_ranges()[:5] + [(0x100000000, 16 * M, NON_TEE, 3),
                                 (0x100000000 + 16 * M, 16 * M, 0, 3)]
    rc, doc, err = c.map_json(dev, ranges, "--offset-mode", "relative")
    check(rc == 0, "exit %d %s" % (rc, err))
    check(segments(doc, 3) == [(0, 16 * M, "shared", None),
                               (16 * M, 16 * M, "private", 0x100000000 + 16 * M)],
          segments(doc, 3))


def test_usage_errors(c):
    dev = c.path("gpu")
    write_device(dev, GPU_BARS, GPU_MSIX)
    rep = c.path("r.bin")
    open(rep, "wb").write(report_bytes(gpu_ranges()))
    for args, needle in [
        ([], "usage"),
        (["--device", dev], "usage"),
        (["--device", dev, "--report", rep, "--backend", "x"], "unknown backend"),
        (["--device", dev, "--report", rep, "--page-size", "8192"], "page size"),
        (["--device", dev, "--report", rep, "--offset-mode", "x"], "offset mode"),
        (["--device", dev + "-missing", "--report", rep], "cannot open"),
        (["--device", dev, "--report", rep + "-missing"], "cannot open"),
    ]:
        rc, out, err = c.run(*args)
        check(rc == 2, "%s: exit %d" % (args, rc))
        check(needle in err, "%s: stderr %r" % (args, err))


def test_bad_device_files(c):
    dev = c.path("short-config")
    write_device(dev, GPU_BARS, GPU_MSIX, cfg_len=64)
    rc, out, err = c.map(dev, gpu_ranges())
    check(rc == 2 and "read it as root" in err, err)
    dev = c.path("bad-resource")
    write_device(dev, GPU_BARS, GPU_MSIX)
    with open(os.path.join(dev, "resource"), "w") as f:
        f.write("0x1000 zzz\n")
    rc, out, err = c.map(dev, gpu_ranges())
    check(rc == 2 and "line 1" in err, err)


def main():
    tool = os.path.abspath(sys.argv[1])
    passed = failed = skipped = 0
    with tempfile.TemporaryDirectory() as tmp:
        c = Case(tool, tmp)
        for name, fn in sorted(globals().items()):
            if not name.startswith("test_"):
                continue
            try:
                note = fn(c)
            except Exception as e:  # noqa: BLE001 - report every failure
                failed += 1
                print("FAIL %s: %s" % (name, e))
                continue
            if note:
                skipped += 1
                print("SKIP %s: %s" % (name, note))
            else:
                passed += 1
                print("ok   %s" % name)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
