"""The service component catalogue (B1–B3, L01–L24): codes, domains, forms and units."""
