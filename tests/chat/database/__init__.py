"""Tests of chat/database: the engine per process and the migrations."""
