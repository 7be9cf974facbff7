"""Text folding for search and duplicate detection, never for display.

The same Japanese text arrives with different code points depending on the
sender's charset and platform: cp932 gives U+FF5E ～ where ISO-2022-JP via
the standard codecs gives U+301C 〜, half-width kana vs full-width, and so on.
:func:`normalize_for_search` folds them together. The user always reads the
text as received: NFKC would turn ～ into "~" and ① into "1".
"""

from __future__ import annotations

import unicodedata

# Pairs that NFKC leaves apart but readers treat as the same character
# (¢/￠, ¬/￢, £/￡ need nothing: NFKC already folds the full-width forms).
_VARIANTS = str.maketrans(
    {
        "\u301c": "~",  # 〜 WAVE DASH (JIS)
        "\uff5e": "~",  # ～ FULLWIDTH TILDE (cp932), NFKC gives "~" already
        "\u2053": "~",  # ⁓ SWUNG DASH
        "\u223c": "~",  # ∼ TILDE OPERATOR
        "\u2212": "-",  # − MINUS SIGN (JIS) vs － FULLWIDTH HYPHEN-MINUS (cp932)
        "\u2010": "-",  # ‐ HYPHEN
        "\u2011": "-",  # ‑ NON-BREAKING HYPHEN
        "\u2012": "-",  # ‒ FIGURE DASH
        "\u2013": "-",  # – EN DASH
        "\u2014": "-",  # — EM DASH (JIS 0x213D via some codecs)
        "\u2015": "-",  # ― HORIZONTAL BAR (cp932 0x815C)
        "\u2016": "\u2225",  # ‖ DOUBLE VERTICAL LINE (JIS) vs ∥ PARALLEL TO (cp932)
        "\u00a0": " ",  # no-break space
        "\u3000": " ",  # ideographic space
    }
)


def normalize_for_search(text: str) -> str:
    """Fold text so that variants a reader sees as equal compare equal.

    NFKC (full-width ASCII and half-width kana to their usual forms, ① to 1),
    case folding, the JIS/cp932 look-alike pairs mapped to one form, and white
    space collapsed.

    Args:
        text: text as displayed to the user.

    Returns:
        The folded text; use it only as a search or comparison key.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.translate(_VARIANTS)
    return " ".join(folded.split())
