"""``python -m ccgkg`` runs the command line."""

from ccgkg.cli import main

main()
