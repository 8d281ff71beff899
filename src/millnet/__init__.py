"""millnet."""
