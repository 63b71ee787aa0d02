"""checker: rules-based compliance checks for a county housing-and-construction bureau."""

__version__ = "0.1.0"
