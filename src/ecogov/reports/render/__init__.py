"""The report's outputs, each rendered from a `Document` alone (no database)."""
