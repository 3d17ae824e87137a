"""tests/browser/check.py — the checks of tests/browser/run.sh, on what
headless Chromium made of a report. Python standard library only (run with
Debian's /usr/bin/python3).

  check.py dom REPORT DOM NAME MIN_FIGURES MIN_TABLES
      prints "ok"/"FAIL" test lines: the DOM Chromium dumped holds as many
      <figure>, <svg> and <table> elements as the report file (and at least
      the minimums), the same manifest, and a table of contents whose links
      all resolve.
  check.py png FILE [MIN_INK_PERCENT MIN_COLOURS]
      exit 0 when FILE is a valid 8-bit RGB/RGBA PNG that is not blank, else
      1 with the reason on standard output.
  check.py netlog FILE
      exit 0 when Chromium's NetLog shows no request the page made for
      anything but a file:, data:, about: or chrome: URL, else 1 with the
      URLs on standard output.
  check.py svgs REPORT NAME
      prints test lines: every figure's inline SVG and the SVG its download
      link holds parse as XML (ElementTree), and no coordinate, length or
      path holds NaN or an infinity.
  check.py blank-png FILE
      writes a blank (one-colour) PNG, for the self-test of the png check.
"""

import json
import re
import struct
import sys
import zlib
from collections import Counter
from html.parser import HTMLParser
from itertools import accumulate
from urllib.parse import unquote
from xml.etree import ElementTree

# ---- the DOM -----------------------------------------------------------------


class Scan(HTMLParser):
    """Counts elements, collects ids, the TOC's links and the manifest."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.counts = Counter()
        self.ids = set()
        self.toc = 0  # number of <nav class="rg-toc"> seen
        self.toc_links = []
        self.manifests = []
        self._in_toc = False
        self._in_manifest = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.counts[tag] += 1
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "nav" and "rg-toc" in (a.get("class") or "").split():
            self.toc += 1
            self._in_toc = True
        elif tag == "a" and self._in_toc:
            self.toc_links.append(a.get("href") or "")
        elif tag == "script" and a.get("id") == "rglit-manifest":
            self._in_manifest = True
            self.manifests.append([a.get("type"), ""])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_toc = False
        elif tag == "script":
            self._in_manifest = False

    def handle_data(self, data):
        if self._in_manifest:
            self.manifests[-1][1] += data


def scan(path):
    s = Scan()
    with open(path, encoding="utf-8") as f:
        s.feed(f.read())
    s.close()
    return s


def check_dom(report, dom, name, min_figures, min_tables):
    file_, page = scan(report), scan(dom)
    results = []

    # (1) every figure and table of the file is in the page, and enough of them
    why = []
    for tag, least in (("figure", min_figures), ("svg", min_figures), ("table", min_tables)):
        nf, nd = file_.counts[tag], page.counts[tag]
        if nf != nd:
            why.append(f"{nd} <{tag}> in the DOM, {nf} in the file")
        if nd < least:
            why.append(f"{nd} <{tag}>, want at least {least}")
    counts = ", ".join(f"{page.counts[t]} {t}" for t in ("figure", "svg", "table"))
    results.append((f"browser_elements:{name}", "; ".join(why), counts))

    # the manifest: one, JSON, and the same object as in the file
    why = ""
    if len(page.manifests) != 1:
        why = f"{len(page.manifests)} manifest scripts in the DOM, want 1"
    elif page.manifests[0][0] != "application/json":
        why = f"manifest script type {page.manifests[0][0]!r}"
    else:
        try:
            got = json.loads(page.manifests[0][1])
            want = json.loads(file_.manifests[0][1]) if file_.manifests else None
            if not isinstance(got, dict):
                why = "the manifest is not a JSON object"
            elif got != want:
                why = "the manifest in the DOM differs from the file's"
        except ValueError as e:
            why = f"the manifest is not JSON: {e}"
    results.append((f"browser_manifest:{name}", why, ""))

    # the table of contents: present, with links that all lead somewhere
    why = ""
    if page.toc != 1:
        why = f"{page.toc} <nav class=\"rg-toc\"> in the DOM, want 1"
    elif not page.toc_links:
        why = "the table of contents has no link"
    else:
        bad = [h for h in page.toc_links if not h.startswith("#") or h[1:] not in page.ids]
        if bad:
            why = "links to no element: " + " ".join(bad[:10])
    results.append((f"browser_toc:{name}", why, f"{len(page.toc_links)} links"))

    failed = False
    for test, why, _ in results:
        if why:
            print(f"FAIL {test}: {why}")
            failed = True
        else:
            print(f"ok {test}")
    return 1 if failed else 0


# ---- the screenshot ------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def read_png(path):
    """-> (width, height, channels, pixel bytes); raises ValueError."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != PNG_SIGNATURE:
        raise ValueError("not a PNG (bad signature)")
    pos, ihdr, idat = 8, None, []
    while True:
        if pos + 12 > len(data):
            raise ValueError("truncated PNG (no IEND)")
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        (crc,) = struct.unpack(">I", data[pos + 8 + n : pos + 12 + n] or b"\0\0\0\0")
        if len(body) != n or zlib.crc32(kind + body) != crc:
            raise ValueError(f"chunk {kind!r} at byte {pos}: truncated or bad CRC")
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if ihdr is None or len(ihdr) != 13 or not idat:
        raise ValueError("no IHDR or no IDAT")
    w, h, depth, ctype, _comp, _filt, interlace = struct.unpack(">IIBBBBB", ihdr)
    if depth != 8 or ctype not in (2, 6) or interlace != 0:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {ctype}, interlace {interlace}")
    if w == 0 or h == 0:
        raise ValueError(f"empty image {w}x{h}")
    bpp = 3 if ctype == 2 else 4
    stride = w * bpp
    raw = zlib.decompress(b"".join(idat))
    if len(raw) != h * (stride + 1):
        raise ValueError(f"{len(raw)} bytes of image data, want {h * (stride + 1)}")

    # unfilter the scanlines (PNG spec, section 9); Up and Sub, by far the
    # most common, without a Python loop per byte
    m7 = int.from_bytes(b"\x7f" * stride, "big")
    m8 = int.from_bytes(b"\x80" * stride, "big")
    and255 = (255).__and__
    prev = bytes(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]
        if f == 0:
            cur = line
        elif f == 1:  # Sub: a running sum of each channel
            out = bytearray(stride)
            for c in range(bpp):
                out[c::bpp] = bytes(map(and255, accumulate(line[c::bpp])))
            cur = bytes(out)
        elif f == 2:  # Up: byte-wise sum without carries, on one big integer
            a, b = int.from_bytes(line, "big"), int.from_bytes(prev, "big")
            cur = (((a & m7) + (b & m7)) ^ ((a ^ b) & m8)).to_bytes(stride, "big")
        elif f == 3:  # Average
            out = bytearray(stride)
            for i in range(stride):
                left = out[i - bpp] if i >= bpp else 0
                out[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
            cur = bytes(out)
        elif f == 4:  # Paeth: a (left), b (up), c (up left); p - a = b - c ...
            out = [(x + b) & 255 for x, b in zip(line[:bpp], prev[:bpp])]
            i = 0
            for x, b, c in zip(line[bpp:], prev[bpp:], prev):
                a = out[i]
                i += 1
                pa, pb = b - c, a - c
                pc = pa + pb
                pa, pb, pc = -pa if pa < 0 else pa, -pb if pb < 0 else pb, -pc if pc < 0 else pc
                if pa <= pb and pa <= pc:
                    out.append((x + a) & 255)
                elif pb <= pc:
                    out.append((x + b) & 255)
                else:
                    out.append((x + c) & 255)
            cur = bytes(out)
        else:
            raise ValueError(f"scanline {y}: unknown filter type {f}")
        rows.append(cur)
        prev = cur
    return w, h, bpp, b"".join(rows)


def check_png(path, min_ink_percent=2.0, min_colours=32):
    try:
        w, h, bpp, px = read_png(path)
    except (OSError, ValueError, zlib.error) as e:
        print(f"{path}: {e}")
        return 1
    # each pixel as one 32-bit integer, counted in C
    wide = bytearray(4 * w * h)
    for c in range(bpp):
        wide[c::4] = px[c::bpp]
    pixels = Counter(memoryview(wide).cast("I"))
    background, nbg = pixels.most_common(1)[0]
    ink = 100.0 * (w * h - nbg) / (w * h)
    summary = (f"{w}x{h}, background #{background.to_bytes(4, sys.byteorder)[:bpp].hex()}, "
               f"{ink:.1f}% other pixels, {len(pixels)} colours")
    if ink < min_ink_percent or len(pixels) <= min_colours:
        print(f"{path}: looks blank: {summary} (want at least {min_ink_percent}% and "
              f"more than {min_colours} colours)")
        return 1
    print(summary)
    return 0


def write_blank_png(path, w=64, h=64):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\0" + b"\xff" * (3 * w) for _ in range(h))
    with open(path, "wb") as f:
        f.write(PNG_SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return 0


# ---- the network ---------------------------------------------------------------

LOCAL_SCHEMES = ("file:", "data:", "about:", "chrome:")


def check_netlog(path):
    """Every URL request of the NetLog, with the origin that started it.

    Chromium itself (its component updater, account and time services) makes
    requests however it is started; those start from no origin ("not an
    origin") and are not the page's doing. Anything that a document started
    (initiator "null" for a file: page) or whose initiator is unknown counts.
    The host resolver maps every name to NOTFOUND, so nothing leaves the
    machine either way."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            log = json.loads(text)
        except ValueError:
            # Chromium killed (timeout) before it closed the JSON
            log = json.loads(text.rstrip().rstrip(",") + "]}")
        names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
        sources = {v: k for k, v in log["constants"]["logSourceType"].items()}
    except (OSError, ValueError, KeyError) as e:
        print(f"{path}: not a NetLog: {e}")
        return 1
    requests = {}  # source id -> [url, initiator]
    for e in log.get("events", []):
        if sources.get(e["source"]["type"]) != "URL_REQUEST":
            continue
        p = e.get("params") or {}
        r = requests.setdefault(e["source"]["id"], [None, None])
        if "url" in p and r[0] is None:
            r[0] = p["url"]
        if names.get(e["type"]) == "URL_REQUEST_START_JOB" and "initiator" in p:
            r[1] = p["initiator"]
    page = [(u, i) for u, i in requests.values()
            if u and not u.startswith(LOCAL_SCHEMES) and i != "not an origin"]
    if page:
        for u, i in page:
            print(f"request {u} (initiator {i})")
        return 1
    browser = sum(1 for u, i in requests.values() if i == "not an origin")
    print(f"{len(requests)} URL requests, {browser} from Chromium itself, none from the page")
    return 0


# ---- the figures' SVG ----------------------------------------------------------

FIGURE = re.compile(r'<figure class="rg-figure" id="([^"]*)">\n(.*?)<figcaption>(.*?)</figcaption>', re.S)
DOWNLOAD = re.compile(r'href="data:image/svg\+xml;charset=utf-8,([^"]*)"')
NUMERIC = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "d",
           "viewBox", "transform", "points"}
BAD = re.compile(r"nan|inf", re.I)


def svg_problem(text):
    """None, or what is wrong with one SVG document."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as e:
        return "not XML: %s" % e
    if root.tag != "{http://www.w3.org/2000/svg}svg":
        return "the root is %s, not svg" % root.tag
    for el in root.iter():
        for k, v in el.attrib.items():
            if k in NUMERIC and BAD.search(v):
                return "%s=%r in <%s>" % (k, v, el.tag.split("}")[-1])
    return None


def check_svgs(report, name):
    with open(report, encoding="utf-8") as f:
        html = f.read()
    figures = FIGURE.findall(html)
    bad = []
    for fid, svg, caption in figures:
        why = svg_problem(svg)
        if why:
            bad.append("%s: %s" % (fid, why))
        m = DOWNLOAD.search(caption)
        if not m:
            bad.append("%s: no SVG download" % fid)
            continue
        why = svg_problem(unquote(m.group(1)))
        if why:
            bad.append("%s (download): %s" % (fid, why))
    if not figures:
        print("FAIL browser_svg_xml:%s: no figure in %s" % (name, report))
    elif bad:
        print("FAIL browser_svg_xml:%s: %s" % (name, "; ".join(bad[:5])))
    else:
        print("ok browser_svg_xml:%s" % name)
    return 0


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "dom" and len(argv) == 7:
        return check_dom(argv[2], argv[3], argv[4], int(argv[5]), int(argv[6]))
    if cmd == "png" and len(argv) in (3, 5):
        return check_png(argv[2], *([float(argv[3]), int(argv[4])] if len(argv) == 5 else []))
    if cmd == "netlog" and len(argv) == 3:
        return check_netlog(argv[2])
    if cmd == "svgs" and len(argv) == 4:
        return check_svgs(argv[2], argv[3])
    if cmd == "blank-png" and len(argv) == 3:
        return write_blank_png(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
