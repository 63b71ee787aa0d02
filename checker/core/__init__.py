"""Generic utilities: errors, limits, value parsers, caches. They know nothing of rules, records or domains."""
