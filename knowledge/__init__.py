"""The knowledge base: PDF ingestion, chunking, embeddings, lexical index, hybrid search."""
