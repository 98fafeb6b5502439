"""``python -m chat`` runs the kbchat CLI."""

from chat.cli.main import main

main()
