"""Personas: the YAML persona database, its schema, and prompt assembly."""
