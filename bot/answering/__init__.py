"""Answering questions about the records: text normalization, the index, the engine, cards."""
