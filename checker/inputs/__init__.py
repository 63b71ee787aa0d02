"""Input formats: record files (YAML, JSON, JSONL, CSV, XLSX) read into raw records, and documents read into text.

Each record format is a module behind `checker.inputs.base.RecordFormat`, listed in `checker.inputs.formats`;
`checker.inputs.reader.read_records` is the one entry point.  Nothing here knows what the records mean.
"""
