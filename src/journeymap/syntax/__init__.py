"""Text -> syntax tree."""

from .parser import grammar_text, parse

__all__ = ["grammar_text", "parse"]
