#!/usr/bin/env bash
# render_html.sh PAGE.html OUT.png: renders a page with headless Chromium (Debian's `chromium`,
# no network, a throw-away profile) and checks the screenshot with the Python standard library.
# Prints "bytes=N colours=N bar_pixels=N" (bar_pixels: pixels of the report bars' green,
# #2e7d32); exits 1 when there is no PNG, it is tiny, or it is one blank colour; 77 without chromium.
set -u
page=$(realpath "$1")
png=$2
command -v chromium >/dev/null || { echo "chromium is not installed (scripts/setup installs it)" >&2; exit 77; }
profile=$(mktemp -d "${TMPDIR:-/tmp}/credenza-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --screenshot="$(realpath -m "$png")" --window-size=1200,1600 \
    "file://$page" >/dev/null 2>&1
[ -s "$png" ] || { echo "no screenshot written" >&2; exit 1; }
/usr/bin/python3 - "$png" <<'PY'
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
if not data.startswith(b"\x89PNG\r\n\x1a\n"):
    sys.exit("not a PNG")
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
width, height, depth, colour_type, _, _, interlace = header
if depth != 8 or colour_type not in (2, 6) or interlace:
    sys.exit("unexpected PNG layout %r" % (header,))
bpp = 3 if colour_type == 2 else 4
raw = zlib.decompress(idat)
stride = width * bpp
previous = bytearray(stride)
colours, bar_pixels = set(), 0
for y in range(height):
    kind = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = previous[i]
        c = previous[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + a) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + b) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (a + b) // 2) & 0xFF
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
    for x in range(0, stride, bpp):
        pixel = bytes(line[x:x + 3])
        colours.add(pixel)
        if pixel == b"\x2e\x7d\x32":
            bar_pixels += 1
    previous = line
print("bytes=%d colours=%d bar_pixels=%d" % (len(data), len(colours), bar_pixels))
sys.exit(0 if len(data) > 5000 and len(colours) > 1 else 1)
PY
