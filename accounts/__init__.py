"""Municipalities (KOV), users and their roles, who may see what, and the access log."""
