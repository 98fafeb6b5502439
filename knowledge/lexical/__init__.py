"""The lexical index family: protocols, the BM25 implementation, its tokenizer, the factory."""
