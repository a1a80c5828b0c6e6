"""PNG and PDF from our own SVG, for any view, without system packages: resvg (through the
resvg-py wheel) draws the SVG with our font files, and a PDF is one page holding that image.

The rasteriser is given our two font files and finds them by their family name, "Journeymap
Sans" (typography.FALLBACK), so the text is drawn with the very font it was measured with,
whatever fonts the machine has; only characters our font lacks come from the machine's fonts.
resvg reads no @font-face and no @media rule: the picture is drawn in the options' theme,
light for `auto`.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import RenderError
from .fonts import FILES
from .theme import palette

if TYPE_CHECKING:
    from ..model import Journey
    from .options import RenderOptions

PNG_SCALE = 2.0  # device pixels per CSS pixel: sharp on high-density screens and in slides
PDF_SCALE = 3.0  # 288 dots per inch at the picture's size
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SIZE = re.compile(r'<svg [^>]*?width="([\d.]+)" height="([\d.]+)"')


def png(svg: str, theme: str, scale: float = PNG_SCALE) -> bytes:
    """The SVG drawn as a PNG image, `scale` device pixels per CSS pixel."""
    try:
        import resvg_py
    except ImportError as error:
        raise RenderError(f"PNG and PDF need the resvg rasteriser ({error.name}); pip install resvg-py") from None
    try:
        data = resvg_py.svg_to_bytes(svg_string=svg, zoom=float(scale), background=palette(theme)["bg"],
                                     font_files=[str(FILES[False]), str(FILES[True])])
    except (ValueError, RuntimeError) as error:
        raise RenderError(f"the picture could not be rasterised: {error}") from None
    return bytes(data)


def raster_theme(theme: str) -> str:
    """The theme a raster is drawn in: a raster has no reader's preference to follow."""
    return "dark" if theme == "dark" else "light"


def view_raster(kind: str, svg_of: Callable[..., str], journey: Journey, options: RenderOptions) -> bytes:
    """A view's PNG or PDF (`kind`): its SVG, from `svg_of(journey, options, embed=False)`, drawn in
    the raster theme with our font files (which the rasteriser is given, so the SVG embeds none)."""
    options = replace(options, theme=raster_theme(options.theme))
    svg = svg_of(journey, options, embed=False)
    return png(svg, options.theme) if kind == "png" else pdf(svg, options.theme)


def pdf(svg: str, theme: str) -> bytes:
    """A one-page PDF of the SVG's size (a CSS pixel is 0.75 pt), holding the SVG drawn
    at PDF_SCALE. The PNG's compressed rows go into the PDF as they are: PDF reads PNG's
    row filters (Predictor 15); its four channels are named as colorants whose stand-in
    colour drops the alpha (a DeviceN colour space), the background being opaque."""
    size = _SIZE.search(svg[:2000])
    if size is None:
        raise RenderError("the picture states no size")
    width, height = float(size.group(1)), float(size.group(2))
    image = png(svg, theme, PDF_SCALE)
    columns, rows, pixels = _png_pixels(image)
    points_wide, points_high = _pt(width * 0.75), _pt(height * 0.75)
    drop_alpha = b"{ pop }"
    content = f"q {points_wide} 0 0 {points_high} 0 0 cm /Picture Do Q".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {points_wide} {points_high}] "
        "/Resources << /XObject << /Picture 5 0 R >> >> /Contents 4 0 R >>".encode("ascii"),
        _stream(b"", content),
        _stream(f"/Type /XObject /Subtype /Image /Width {columns} /Height {rows} /BitsPerComponent 8 "
                "/ColorSpace [/DeviceN [/Red /Green /Blue /Opacity] /DeviceRGB 6 0 R] /Filter /FlateDecode "
                f"/DecodeParms << /Predictor 15 /Colors 4 /BitsPerComponent 8 /Columns {columns} >>".encode("ascii"),
                pixels),
        _stream(b"/FunctionType 4 /Domain [0 1 0 1 0 1 0 1] /Range [0 1 0 1 0 1]", drop_alpha),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += b"".join(f"{offset:010d} 00000 n \n".encode("ascii") for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return bytes(out)


def _pt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + f" /Length {len(data)} >>\nstream\n".encode("ascii") + data + b"\nendstream"


def _png_pixels(image: bytes) -> tuple[int, int, bytes]:
    """Width, height and the zlib stream of an 8-bit RGBA, non-interlaced PNG."""
    if not image.startswith(_PNG_SIGNATURE):
        raise RenderError("the rasteriser gave no PNG image")
    at, width, height, idat = 8, 0, 0, []
    while at < len(image):
        length, kind = struct.unpack_from(">I4s", image, at)
        body = image[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if (depth, colour, interlace) != (8, 6, 0):
                raise RenderError("the rasteriser gave a PNG image of an unexpected kind")
        elif kind == b"IDAT":
            idat.append(body)
        at += 12 + length
    data = b"".join(idat)
    zlib.decompressobj().decompress(data, 16)  # fails early on a broken stream
    return width, height, data
