"""Report kinds: one module per kind (or family of kinds); see reporting/registry.py."""
