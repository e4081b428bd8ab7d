"""Offline demo: a deterministic corpus of weekly feed snapshots, served and ingested for real."""
