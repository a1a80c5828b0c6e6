"""journeymap's version: one place, read by the facade, the reports and the docs caches."""

__version__ = "0.1.0"
