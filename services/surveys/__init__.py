"""Pulse surveys: staff answer a few 1–5 questions per round, anonymously; results per unit only for groups of at least k."""
