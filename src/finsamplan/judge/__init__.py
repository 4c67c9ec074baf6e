"""Judgements over a plan and its figures: the rules of law and policy, the criteria profiles."""
