"""Other tools' diagrams -> .journey text."""
