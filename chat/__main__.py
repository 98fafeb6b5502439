"""``python -m chat`` runs the kbchat CLI."""

from chat.cli import main

main()
