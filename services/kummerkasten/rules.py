"""Whether a message reads as a report of a legal violation, which belongs to the HinSchG channel.

A deliberately simple word list: it only decides whether the writer is shown the way to the city's
whistle-blowing channel before sending; the writer may still send the message here.
"""

import re

# Stems, matched at the start of a word, German and English.
LEGAL_VIOLATION_STEMS = (
    "straftat", "strafbar", "korrupt", "bestech", "bestoch", "vorteilsnahme", "vorteilsannahme", "betrug", "betrüg",
    "unterschlag", "untreue", "geldwäsche", "rechtswidrig", "gesetzwidrig", "illegal", "hinschg", "hinweisgeber",
    "whistleblow", "gesetzesverstoß", "verstoß gegen das gesetz", "verstößt gegen", "vetternwirtschaft",
    "bribe", "briber", "fraud", "embezzl", "corrupt", "money launder", "unlawful",
)
_PATTERN = re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in LEGAL_VIOLATION_STEMS) + ")", re.IGNORECASE)


def reads_as_legal_violation(text: str) -> bool:
    return bool(_PATTERN.search(text))
