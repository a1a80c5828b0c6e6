"""journeymap inside other tools: Sphinx, MkDocs, Pygments."""
