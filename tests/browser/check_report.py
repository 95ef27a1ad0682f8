#!/usr/bin/env python3
"""Checks what a headless browser made of an embargo HTML report (used by
tests/e2e/test_report_browser.sh). Standard library only.

    check_report.py dom FILE        the DOM Chromium dumped (--dump-dom): the charts,
                                    sections and escaped names are there, no script ran
    check_report.py console FILE    the browser's stderr (--enable-logging=stderr): no
                                    console message (errors, uncaught exceptions)
    check_report.py netlog FILE     a --log-net-log file: the page requested nothing but
                                    file:// URLs (requests of the browser itself, such as
                                    its update checks, are not the page's and are ignored)
    check_report.py png FILE W      a screenshot: a PNG W pixels wide whose pixels include
                                    the colours of the charts (high-risk red, medium-risk
                                    orange, navy bars)

Each prints what it found and exits 1 on a failed check, 0 otherwise.
"""
import json
import re
import struct
import sys
import zlib


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check_dom(path):
    dom = open(path, encoding="utf-8", errors="replace").read()
    n_svg = len(re.findall(r"<svg\b", dom))
    n_img = len(re.findall(r'<svg\b[^>]*\brole="img"', dom))
    n_bars = len(re.findall(r'<rect\b[^>]*\bdata-value=', dom))
    print("dom: %d bytes, %d svg charts (%d with role=img), %d bars" % (len(dom), n_svg, n_img, n_bars))
    if n_svg < 6 or n_img != n_svg:
        fail("expected at least 6 charts, all with role=img")
    if n_bars < 20:
        fail("expected at least 20 bars")
    for sec in ("summary", "chapters", "routes", "counterparties", "sanctioned", "alerts"):
        if 'id="%s"' % sec not in dom:
            fail("section %s missing" % sec)
    if re.search(r"<script\b", dom, re.I):
        fail("a <script> element exists in the DOM")
    if "&lt;script&gt;" not in dom:
        fail("the escaped <script> company name is not shown as text")
    for tag in ("<title", "<desc", 'aria-label="'):
        if tag not in dom:
            fail("%s missing" % tag)


def check_console(path):
    lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    bad = [l for l in lines if ":CONSOLE" in l or "Uncaught" in l]
    print("console: %d messages" % len(bad))
    for l in bad[:10]:
        print("  " + l)
    if bad:
        fail("the browser reported console messages")


def check_netlog(path):
    try:
        log = json.load(open(path, encoding="utf-8", errors="replace"))
    except ValueError:
        # Chromium may leave the file unterminated when killed; close it ourselves.
        text = open(path, encoding="utf-8", errors="replace").read().rstrip().rstrip(",")
        log = json.loads(text + "]}")
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    page = []
    for e in log.get("events", []):
        if types.get(e.get("type")) != "URL_REQUEST_START_JOB":
            continue
        p = e.get("params", {})
        nik = p.get("network_isolation_key", "")
        url = p.get("url", "")
        if nik.startswith("file://") and not url.startswith("file:"):
            page.append(url)
    print("netlog: %d network requests from the page" % len(page))
    for u in page[:10]:
        print("  " + u)
    if page:
        fail("the page tried to load from the network")


def png_pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s is not a PNG" % path)
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    if depth != 8 or ctype not in (2, 6) or interlace:
        fail("unexpected PNG format (depth %d, colour type %d)" % (depth, ctype))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours = {}
    i = 0
    for _ in range(h):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        for x in range(0, stride, bpp * 4):  # every 4th pixel is plenty
            key = bytes(line[x:x + 3])
            colours[key] = colours.get(key, 0) + 1
        prev = line
    return w, h, colours


def check_png(path, want_w):
    w, h, colours = png_pixels(path)
    print("png: %dx%d, %d distinct colours sampled" % (w, h, len(colours)))
    if w != int(want_w):
        fail("width %d, expected %s" % (w, want_w))
    needed = {"high-risk red #b91c1c": b"\xb9\x1c\x1c", "navy bars #1e3a5f": b"\x1e\x3a\x5f",
              "medium-risk orange #ea580c": b"\xea\x58\x0c"}
    for name, rgb in needed.items():
        n = colours.get(rgb, 0)
        print("  %s: %d sampled pixels" % (name, n))
        if n < 50:
            fail("the screenshot lacks the %s of the charts" % name)
    if len(colours) < 50:
        fail("the screenshot looks blank")


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "dom":
        check_dom(path)
    elif cmd == "console":
        check_console(path)
    elif cmd == "netlog":
        check_netlog(path)
    elif cmd == "png":
        check_png(path, sys.argv[3] if len(sys.argv) > 3 else "0")
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
