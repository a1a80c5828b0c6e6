"""Text -> syntax tree."""

from .parser import parse
from .tokens import grammar_text

__all__ = ["grammar_text", "parse"]
