"""Syntax tree -> model, with every check."""

from .compile import Compilation, compile_source, derive_id

__all__ = ["Compilation", "compile_source", "derive_id"]
