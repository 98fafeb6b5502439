"""Keeping a knowledge base sound and safe: doctor, backup and restore of its data."""
