"""`journey fmt`: canonical .journey text, comments kept, verified before it is written."""

from .printer import format_document, quote
from .verify import FormatError, FormatResult, format_source

__all__ = ["FormatError", "FormatResult", "format_document", "format_source", "quote"]
