"""Support-needs assessments, action and support plans, personal budgets and quality of life."""
