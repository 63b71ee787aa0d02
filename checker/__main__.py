from checker.cli import command

raise SystemExit(command())
