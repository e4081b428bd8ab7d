"""The SQLite store: schema and migrations, feeds and their health, items and stories."""
