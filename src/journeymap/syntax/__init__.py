"""Text -> syntax tree."""

from .grammar import grammar_text
from .parser import parse

__all__ = ["grammar_text", "parse"]
