"""The `journey` command line: thin commands over the facade."""
