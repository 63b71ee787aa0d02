"""The rule language: conditions, rule files and packs, their loading, validation and examples."""
