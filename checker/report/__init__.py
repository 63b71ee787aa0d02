"""Step 5: render a RunResult (text for people, JSON for tools)."""
