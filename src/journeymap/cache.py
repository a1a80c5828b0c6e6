"""The former name of buildcache.py, kept so that imports of `journeymap.cache` go on working."""

from .buildcache import *  # noqa: F401,F403
from .buildcache import __all__  # noqa: F401
