"""Fast safe YAML for checker's own data (rule files, places, lexicon).

libyaml's C loader when present (these files are read on every start), the
pure-Python safe loader otherwise.  Only plain YAML types are constructed (no
tags that build objects), and aliases are refused: a few bytes of aliases can
expand to gigabytes.  Record files use checker.load's line-tracking loader.
"""

from __future__ import annotations


class YamlAliasError(ValueError):
    def __init__(self, anchor: str, line: int):
        super().__init__(f"不允许使用 YAML 别名（*{anchor}）")
        self.line = line


def load(text: str):
    """Parse `text`; raises yaml.YAMLError (with marks) or YamlAliasError."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlAliasError(event.anchor, event.start_mark.line + 1)
    return yaml.load(text, Loader=loader)
