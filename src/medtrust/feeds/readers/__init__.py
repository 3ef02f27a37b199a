"""One reader per feed format; :mod:`.registry` picks one by content."""
