"""`extensions = ["journeymap.sphinx"]` in a Sphinx conf.py enables the `journey` directive."""

from .integrations.sphinx import JourneyDirective, setup

__all__ = ["JourneyDirective", "setup"]
