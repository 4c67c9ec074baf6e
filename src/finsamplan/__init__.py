"""finsamplan: the verksamhets- och budgetplan of a Swedish samordningsförbund as data.

The package is layered so that a plan reads downward: ``money`` and ``findings`` at the
bottom, then ``model``, ``loader`` and ``budget``, then ``rules`` and ``render``, and the
typer commands in ``cli`` on top. Nothing below ``cli`` imports typer or rich.
"""

__version__ = "0.1.0"
