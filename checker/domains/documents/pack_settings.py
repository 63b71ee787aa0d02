"""The settings of the document packs in force for a run: the finders' word lists, with the configuration's
overrides applied (set by the documents domain when the run starts; a rule's examples see the shipped values)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")

# pack id -> its settings in force for this run (the configuration's overrides applied), set by the documents
# domain when a run starts; a finder that reads its pack's word lists asks pack_settings()
_RUN_SETTINGS: dict[str, dict[str, Any]] = {}


def use_pack_settings(settings: dict[str, dict[str, Any]]) -> None:
    global _RUN_SETTINGS
    _RUN_SETTINGS = dict(settings)


def pack_settings(pack_file) -> dict[str, Any]:
    """The settings of the pack whose pack.yaml is `pack_file`: this run's when a run set them, else the shipped
    values (a rule's examples are verified before any run starts)."""
    pack_id = pack_file.parent.name
    if pack_id in _RUN_SETTINGS:
        return _RUN_SETTINGS[pack_id]
    return _shipped_settings(str(pack_file))


@cache
def _shipped_settings(pack_file: str) -> dict[str, Any]:
    from checker.domains.documents.text.places import load_yaml

    data = load_yaml(pack_file)
    return {key: entry["value"] for key, entry in (data.get("settings") or {}).items()}


# (build, id of the settings) -> (the settings, what build made of them); the settings are kept so an id is
# never reused for another dict while its entry stands
_COMPILED: dict[tuple[Any, int], tuple[dict[str, Any], Any]] = {}


def compiled(pack_file, build: Callable[[dict[str, Any]], T]) -> T:
    """`build(settings)` for the pack's settings in force, made once per settings (a run's, or the shipped ones):
    a finder's word lists are compiled once, not for every document."""
    settings = pack_settings(pack_file)
    key = (build, id(settings))
    entry = _COMPILED.get(key)
    if entry is None or entry[0] is not settings:
        entry = _COMPILED[key] = (settings, build(settings))
    return entry[1]
