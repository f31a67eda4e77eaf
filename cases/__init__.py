"""The case file: persons, noticing, eligibility, entry and exit, deadlines and the network."""
