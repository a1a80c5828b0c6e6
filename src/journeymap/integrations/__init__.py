"""journeymap inside other tools: Sphinx, MkDocs, Pygments."""


def passes_svg_check(svg: bytes) -> bool:
    """Whether an SVG read back from a docs build's render cache may go into a page as markup.
    Entries are sealed (buildcache.py), so only this user's journeymap wrote them; they are
    checked again all the same, as every new render is, since a page is where a script would run."""
    from .. import check_svg

    return not check_svg(svg)
