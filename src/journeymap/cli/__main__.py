"""`python -m journeymap.cli`: the same as the `journey` command."""

from .main import main

main()
