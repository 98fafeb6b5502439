"""The answer engine: retrieve, gate, select evidence, prompt, stream, cite, check support."""
