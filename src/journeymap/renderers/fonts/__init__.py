"""The font journeymap draws with (Journeymap Sans: DejaVu Sans subset and renamed, see
LICENSE.txt and tools/make_fonts.py): its advance widths, and the small subsets of it that every
SVG embeds, as WOFF, so that every viewer shows the text with the widths it was measured with.

A TrueType file is read here with `struct`, not fontTools: the embedded subsets and the
advance widths are part of every render, and fontTools' import alone (about 115 ms) would
cost half of a 100-touchpoint render. The files are our own (tools/make_fonts.py): glyf
outlines without hinting or layout tables, a format 4 cmap, a format 3 post table. The subset
keeps the glyphs of the characters asked for, renumbered, with the components of composite
glyphs, and the tables a browser's font sanitizer requires (OTS in Chromium and Firefox).
"""

from __future__ import annotations

import functools
import hashlib
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {False: HERE / "JourneymapSans-Regular.ttf", True: HERE / "JourneymapSans-Bold.ttf"}
FAMILY = "Journeymap Sans"  # the family name inside the files (what a rasteriser finds them by)
# Kept in an embedded subset's name table: copyright, family, style, ids, version, PostScript
# name, licence URL (the licence text itself, 4.7 kB, stays in the shipped files).
EMBEDDED_NAMES = frozenset((0, 1, 2, 3, 4, 5, 6, 14))
# The tables a subset is made of, in the order a font file lists them (by tag).
_COPIED = ("OS/2", "head", "hhea", "maxp", "post")

# Composite glyph flags (the OpenType glyf table)
_ARGS_ARE_WORDS, _HAS_SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x1, 0x8, 0x20, 0x40, 0x80


class Font:
    """One of our TrueType files, read once: the characters it has and their advance widths,
    and its tables for subsetting."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        count = struct.unpack_from(">H", data, 4)[0]
        self.tables: dict[str, tuple[int, int]] = {}
        for index in range(count):
            tag, _checksum, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * index)
            self.tables[tag.decode("latin-1")] = (offset, length)
        self.units_per_em = struct.unpack_from(">H", self.table("head"), 18)[0]
        self.glyph_count = struct.unpack_from(">H", self.table("maxp"), 4)[0]
        metrics_count = struct.unpack_from(">H", self.table("hhea"), 34)[0]
        hmtx = self.table("hmtx")
        pairs = struct.unpack_from(f">{2 * metrics_count}H", hmtx)
        advances = list(pairs[0::2])
        bearings = [b - 0x10000 if b > 0x7FFF else b for b in pairs[1::2]]
        rest = self.glyph_count - metrics_count
        bearings += struct.unpack_from(f">{rest}h", hmtx, 4 * metrics_count)
        advances += [advances[-1]] * rest
        self.advances: list[int] = advances
        self.bearings: list[int] = bearings
        self.glyphs = _read_cmap(self.table("cmap"))  # code point -> glyph id
        long_loca = struct.unpack_from(">h", self.table("head"), 50)[0] == 1
        loca = self.table("loca")
        if long_loca:
            self.loca = struct.unpack_from(f">{self.glyph_count + 1}L", loca)
        else:
            self.loca = tuple(2 * v for v in struct.unpack_from(f">{self.glyph_count + 1}H", loca))
        # Advance per character in thousandths of the font size, for measuring.
        scale = 1000 / self.units_per_em
        self.widths: dict[str, float] = {chr(code): advances[gid] * scale for code, gid in self.glyphs.items()}

    def table(self, tag: str) -> bytes:
        offset, length = self.tables[tag]
        return self.data[offset : offset + length]

    def subset(self, characters: str) -> bytes:
        """A TrueType file with only the glyphs of `characters` (those the font has), .notdef first."""
        glyf = self.table("glyf")
        wanted = {0} | {self.glyphs[ord(c)] for c in set(characters) if ord(c) in self.glyphs}
        pending = list(wanted)
        while pending:  # composite glyphs need their components
            gid = pending.pop()
            for component in _components(glyf, self.loca[gid], self.loca[gid + 1]):
                if component not in wanted:
                    wanted.add(component)
                    pending.append(component)
        order = sorted(wanted)
        new_id = {old: new for new, old in enumerate(order)}
        outlines, offsets, position = [], [], 0
        for old in order:
            glyph = glyf[self.loca[old] : self.loca[old + 1]]
            glyph = _renumbered(glyph, new_id) if glyph and struct.unpack_from(">h", glyph)[0] < 0 else glyph
            glyph += b"\0" * (-len(glyph) % 4)
            offsets.append(position)
            outlines.append(glyph)
            position += len(glyph)
        offsets.append(position)
        count = len(order)
        mapping = sorted((code, new_id[gid]) for code, gid in self.glyphs.items() if gid in new_id)
        codes = [code for code, _ in mapping if code != 0xFFFF] or [0x20]
        tables: dict[str, bytes | bytearray] = {
            "glyf": b"".join(outlines),
            "loca": struct.pack(f">{count + 1}L", *offsets),
            "hmtx": b"".join(struct.pack(">Hh", self.advances[old], self.bearings[old]) for old in order),
            "cmap": _write_cmap(mapping),
            "name": _names(self.table("name")),
        }
        for tag in _COPIED:
            tables[tag] = bytearray(self.table(tag))
        struct.pack_into(">h", tables["head"], 50, 1)  # long loca offsets
        struct.pack_into(">L", tables["head"], 8, 0)  # checkSumAdjustment, set below
        struct.pack_into(">H", tables["hhea"], 34, count)
        struct.pack_into(">H", tables["maxp"], 4, count)
        struct.pack_into(">HH", tables["OS/2"], 64, min(min(codes), 0xFFFF), min(max(codes), 0xFFFF))
        return _sfnt({tag: bytes(value) for tag, value in tables.items()})


@functools.lru_cache(maxsize=2)
def font(bold: bool = False) -> Font:
    return Font(FILES[bold].read_bytes())


def version_key() -> str:
    """What the subsets depend on beyond the characters: the two files (by size and a hash of
    their head tables, which carry their checksums)."""
    parts = [f"{len(font(b).data)}:{font(b).table('head').hex()}" for b in (False, True)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------- reading

def _read_cmap(cmap: bytes) -> dict[int, int]:
    """Code point -> glyph id from the Windows Unicode BMP (format 4) subtable."""
    count = struct.unpack_from(">H", cmap, 2)[0]
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", cmap, 4 + 8 * index)
        if (platform, encoding) == (3, 1) and struct.unpack_from(">H", cmap, offset)[0] == 4:
            break
    else:
        raise ValueError("the font has no Windows Unicode BMP cmap")
    segments = struct.unpack_from(">H", cmap, offset + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", cmap, offset + 14)
    starts = struct.unpack_from(f">{segments}H", cmap, offset + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", cmap, offset + 16 + 4 * segments)
    range_base = offset + 16 + 6 * segments
    range_offsets = struct.unpack_from(f">{segments}H", cmap, range_base)
    glyphs: dict[int, int] = {}
    for seg in range(segments):
        for code in range(starts[seg], ends[seg] + 1):
            if code == 0xFFFF:
                continue
            if range_offsets[seg] == 0:
                gid = (code + deltas[seg]) & 0xFFFF
            else:
                at = range_base + 2 * seg + range_offsets[seg] + 2 * (code - starts[seg])
                gid = struct.unpack_from(">H", cmap, at)[0]
                gid = (gid + deltas[seg]) & 0xFFFF if gid else 0
            if gid:
                glyphs[code] = gid
    return glyphs


def _components(glyf: bytes, start: int, end: int) -> list[int]:
    if end - start < 10 or struct.unpack_from(">h", glyf, start)[0] >= 0:
        return []
    found, at = [], start + 10
    while True:
        flags, gid = struct.unpack_from(">HH", glyf, at)
        found.append(gid)
        at += 4 + _argument_size(flags)
        if not flags & _MORE:
            return found


def _argument_size(flags: int) -> int:
    size = 4 if flags & _ARGS_ARE_WORDS else 2
    if flags & _HAS_SCALE:
        size += 2
    elif flags & _XY_SCALE:
        size += 4
    elif flags & _TWO_BY_TWO:
        size += 8
    return size


def _renumbered(glyph: bytes, new_id: dict[int, int]) -> bytes:
    out = bytearray(glyph)
    at = 10
    while True:
        flags, gid = struct.unpack_from(">HH", out, at)
        struct.pack_into(">H", out, at + 2, new_id[gid])
        at += 4 + _argument_size(flags)
        if not flags & _MORE:
            return bytes(out)


# ---------------------------------------------------------------------------- writing

def _write_cmap(mapping: list[tuple[int, int]]) -> bytes:
    """A cmap with one format 4 subtable (Windows, Unicode BMP): a segment per run of
    consecutive characters with consecutive glyph ids, and the closing 0xFFFF segment."""
    segments: list[list[int]] = []  # [start, end, delta]
    for code, gid in mapping:
        if code > 0xFFFE:
            continue
        if segments and code == segments[-1][1] + 1 and gid - code == segments[-1][2]:
            segments[-1][1] = code
        else:
            segments.append([code, code, gid - code])
    segments.append([0xFFFF, 0xFFFF, 1])
    count = len(segments)
    search = 2 ** (count.bit_length() - 1)
    body = struct.pack(f">{count}H", *(s[1] for s in segments)) + b"\0\0"
    body += struct.pack(f">{count}H", *(s[0] for s in segments))
    body += struct.pack(f">{count}h", *(((s[2] + 0x8000) % 0x10000) - 0x8000 for s in segments))
    body += struct.pack(f">{count}H", *([0] * count))
    header = struct.pack(">HHHHHHH", 4, 14 + len(body), 0, 2 * count, 2 * search,
                         search.bit_length() - 1, 2 * count - 2 * search)
    return struct.pack(">HHHHL", 0, 1, 3, 1, 12) + header + body


def _names(name: bytes) -> bytes:
    """The name table with only EMBEDDED_NAMES' records."""
    count, storage = struct.unpack_from(">HH", name, 2)
    records, strings = [], b""
    for index in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(">6H", name, 6 + 12 * index)
        if name_id in EMBEDDED_NAMES:
            text = name[storage + offset : storage + offset + length]
            records.append((platform, encoding, language, name_id, len(text), len(strings)))
            strings += text
    head = struct.pack(">HHH", 0, len(records), 6 + 12 * len(records))
    return head + b"".join(struct.pack(">6H", *r) for r in records) + strings


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


def _sfnt(tables: dict[str, bytes]) -> bytes:
    tags = sorted(tables)
    count = len(tags)
    search = 2 ** (count.bit_length() - 1)
    header = struct.pack(">LHHHH", 0x00010000, count, 16 * search, search.bit_length() - 1, 16 * count - 16 * search)
    directory, body = b"", b""
    offset = 12 + 16 * count
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(">4sLLL", tag.encode("latin-1"), _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    whole = bytearray(header + directory + body)
    head_at = offset + sum(len(tables[t]) + (-len(tables[t]) % 4) for t in tags[: tags.index("head")])
    struct.pack_into(">L", whole, head_at + 8, (0xB1B0AFBA - _checksum(bytes(whole))) & 0xFFFFFFFF)
    return bytes(whole)


def woff(sfnt: bytes) -> bytes:
    """A TrueType file as WOFF 1.0: each table zlib-compressed (when that is smaller)."""
    count = struct.unpack_from(">H", sfnt, 4)[0]
    entries, body = [], b""
    offset = 44 + 20 * count
    for index in range(count):
        tag, checksum, at, length = struct.unpack_from(">4sLLL", sfnt, 12 + 16 * index)
        data = sfnt[at : at + length]
        packed = zlib.compress(data, 9)
        stored = packed if len(packed) < length else data
        entries.append(struct.pack(">4sLLLL", tag, offset + len(body), len(stored), length, checksum))
        body += stored + b"\0" * (-len(stored) % 4)
    total = 44 + 20 * count + len(body)
    header = struct.pack(">4sLLHHLHHLLLLL", b"wOFF", 0x00010000, total, count, 0, len(sfnt), 1, 0, 0, 0, 0, 0, 0)
    return header + b"".join(entries) + body
