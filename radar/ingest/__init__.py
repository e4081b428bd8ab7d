"""Ingestion: fetch feeds over HTTP, parse and clean entries, group stories."""
