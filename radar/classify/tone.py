"""Is a headline about adoption (standards, GA releases, procurement, government use) or hype?

Pure. Research on hype cycles finds adoption language rising as a technology settles, and
hype language dominating one-season crazes, so the share of each is a staying-power signal.
"""

from __future__ import annotations

import re
import unicodedata

TONE_VERSION = "1"

_ADOPTION = re.compile(
    r"導入|採用|標準化|標準仕様|調達|本格運用|本格導入|全庁|正式版|一般提供|移行完了|運用開始|義務化|"
    r"\b(adopt(s|ed|ion)?|standard(s|ised|ized)?|GA|generally available|general availability|"
    r"1\.0|LTS|procure(ment|s|d)?|tender|rolls? out|rollout|in production|deploy(s|ed|ment)|"
    r"mandat(e|es|ory)|government|agency|council|migrat(e|es|ed|ion))\b",
    re.IGNORECASE,
)
_HYPE = re.compile(
    r"話題|バズ|ブーム|熱狂|急騰|流行|期待|革命|未来|夢の|注目|"
    r"\b(hype|hyped|buzz|craze|frenzy|revolution(ary)?|game[- ]changer|next big thing|"
    r"killer|skyrocket(s|ed|ing)?|soar(s|ed|ing)?|mania|bubble|everyone is talking)\b",
    re.IGNORECASE,
)


def tone(text: str) -> int:
    """+1 for adoption language, -1 for hype, 0 for neither or both."""
    normal = unicodedata.normalize("NFKC", text)
    adoption = bool(_ADOPTION.search(normal))
    hype = bool(_HYPE.search(normal))
    return int(adoption) - int(hype)
