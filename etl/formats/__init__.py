"""Export formats of the field: recognising a file, and rewriting the shapes presets cannot describe."""
