"""The vector store family: protocols, the Chroma implementation, and the factory."""
