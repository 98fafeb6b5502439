"""The embedder family: a protocol, its implementations, and the factory that picks one."""
