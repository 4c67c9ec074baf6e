"""``python -m finsamplan``: the same as the ``finsamplan`` command."""

from finsamplan.cli import main

main()
