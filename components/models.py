"""Models of the components app."""
