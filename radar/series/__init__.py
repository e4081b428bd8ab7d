"""Adoption and attention series: read from files and public APIs, tied to technologies."""
