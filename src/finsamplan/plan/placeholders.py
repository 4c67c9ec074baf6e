"""Figures in the plan's prose, taken from the budget instead of typed twice.

A text may say ``{{ reserve 2027 }}`` (a total, named as in ``render --format json``) or
``{{ steget 2027 }}`` (a budget line's id); rendering puts the amount there in Swedish
format. The loader checks every placeholder, so a typo is a finding, not a blank.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9][a-z0-9_-]*)\s+([A-Za-z0-9_-]+)\s*\}\}")


def find(text: str) -> Iterator[tuple[str, str, int]]:
    """Each placeholder's name, column and offset in ``text``."""
    for m in PLACEHOLDER.finditer(text):
        yield m.group(1), m.group(2), m.start()


def fill(text: str, amount: Callable[[str, str], int], fmt: Callable[[int], str]) -> str:
    return PLACEHOLDER.sub(lambda m: fmt(amount(m.group(1), m.group(2))), text)
