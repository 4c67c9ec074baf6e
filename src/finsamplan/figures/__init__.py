"""Figures computed from a plan (the budget) or read from a finance system (actuals)."""
