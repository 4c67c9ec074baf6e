"""Swedish counted words: "1 varning", "2 varningar", "1 fel", "3 upplysningar".

One function for every count the user reads (terminal, documents, web), so no message says
"1 varningar" again.
"""

from __future__ import annotations

# The count nouns the messages use: singular and plural. "fel" is the same in both.
NOUNS: dict[str, tuple[str, str]] = {
    "fel": ("fel", "fel"),
    "varning": ("varning", "varningar"),
    "upplysning": ("upplysning", "upplysningar"),
    "plan": ("plan", "planer"),
    "år": ("år", "år"),
    "rad": ("rad", "rader"),
    "fil": ("fil", "filer"),
    "anmärkning": ("anmärkning", "anmärkningar"),
    "cell": ("cell", "celler"),
    "kolumn": ("kolumn", "kolumner"),
}


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number it takes: ``counted(1, "varning")`` is "1 varning".

    The plural comes from NOUNS when not given; an unknown noun without a plural keeps its
    singular form (Swedish neuter nouns like "fel" and "år" do).
    """
    if plural is None:
        plural = NOUNS.get(singular, (singular, singular))[1]
    return f"{n} {singular if n == 1 else plural}"


def severity_counts(errors: int, warnings: int, infos: int | None = None) -> str:
    """ "2 fel, 1 varning och 3 upplysningar" (without upplysningar when infos is None)."""
    parts = [counted(errors, "fel"), counted(warnings, "varning")]
    if infos is None:
        return " och ".join(parts)
    return f"{parts[0]}, {parts[1]} och {counted(infos, 'upplysning')}"
