"""Observation finders over official-document text.

Raw text never reaches the rule engine: these pure functions find
*observations* (a doc number, a date, a self-reference, ...) with exact
positions, and declarative rules decide what they mean.

Positions everywhere: `line` and `column` are 1-based, counted in characters
(Python str indices) of the text split on "\\n"; `end_column` is exclusive, so
``end_column - column == len(raw)``.  Finders expect text whose line endings
are already normalized (`decode_text` does that).
"""
