"""Staying power: weekly signals per technology, a fad-or-standard model, rings and editions."""
