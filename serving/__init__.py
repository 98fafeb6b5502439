"""Model serving: chat backends behind one protocol (llama.cpp, OpenAI-compatible servers)."""
