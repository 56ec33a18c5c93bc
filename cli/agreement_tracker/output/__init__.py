"""Everything the tool prints: consoles and messages, listings, formats, tables, the report."""
