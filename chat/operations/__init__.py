"""Keeping a kbchat sound and safe: backup, restore and the database snapshot they share."""
