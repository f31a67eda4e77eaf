"""Domain-free helpers shared by every app: money, the working-day calendar, PDF rendering."""
