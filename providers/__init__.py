"""Service providers, their specialists, contracts with municipalities and unit prices."""
