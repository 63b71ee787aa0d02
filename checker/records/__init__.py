"""Record kinds: their fields declared once, the records generated from them, and the conversion of raw input."""
