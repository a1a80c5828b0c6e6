"""Syntax tree -> model, with every check."""

from .build import derive_id
from .compile import Compilation, compile_source

__all__ = ["Compilation", "compile_source", "derive_id"]
