"""Named models: the models file, the backends built from it once each, and the report of
what is configured and reachable (its modules are imported by name)."""
