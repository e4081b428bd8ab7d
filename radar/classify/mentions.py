"""Find which taxonomy technologies a piece of text mentions, by alias.

Pure: no I/O, no clock. It runs over every stored headline, so all aliases are
compiled into trie-shaped regular expressions (one over lower-cased text for
case-insensitive aliases, one over the text as written for case-sensitive ones,
one for aliases used only in Japanese text) and each text is scanned once per
expression.

Matching rules (the YAML header repeats them for staff):

* Text and aliases are NFKC-normalised: full-width "ＡＩ" is "AI", half-width "ｶﾞ"
  is "ガ". Accents and dakuten are never stripped ("ガバメント" stays distinct
  from "カハメント").
* An alias whose edge is an ASCII letter or digit only matches where that edge is
  not next to another ASCII letter, digit or underscore: "AI" does not match in
  "MAIL", "PAID" or "AIR", "5G" not in "15G" (nor in "2.5G"), yet "AI" matches in
  "生成AI活用".
* ASCII aliases match case-insensitively, except short all-caps aliases (at most 3
  characters, capitals and digits: "AI", "NFT", "5G") and those a technology lists
  under ``case_sensitive`` (e.g. "Rust"), which match exactly as written.
* Aliases a technology lists under ``ja_only`` ("Teams", "Threads": ordinary words
  in English, product names in a Japanese headline) match exactly as written and
  only in text that contains hiragana or katakana.
* Spaces, hyphens, ・ and underscores inside an alias are optional in the text, and
  so is a space where an alias switches between ASCII and Japanese ("生成AI"
  matches "生成 AI"; "Wi-Fi" matches "WiFi").
* Japanese aliases match as substrings, except short katakana-only ones (up to 3
  characters), which must not touch another katakana character: "ハンコ" is not
  found in "ハンコック". Katakana loanwords hide inside longer loanwords; kanji
  compounds mostly keep their meaning ("押印見直し", "脱印鑑"), so kanji aliases
  match anywhere and the taxonomy's ``exclude`` list handles exceptions.
* The longest alias wins: a match lying inside a longer match is dropped, so
  "ローカル5G" gives local-5g and not 5g, "生成AI" gives generative-ai and not ai.
  Overlapping matches that do not contain each other are both kept.
* Phrases in the taxonomy's ``exclude`` list are matched like aliases and then
  discarded, taking the aliases inside them along ("iPhone XR" hides "XR").
* ``find`` adds each found technology's ``parent`` chain (PLATEAU also counts as
  digital-twin); ``find_mentions`` reports only what the text itself names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from radar.taxonomy.model import SEPARATOR_CHARS, Taxonomy, Tech, normalise_alias

__all__ = ["Mention", "MentionMatcher"]

_WORD = "0-9A-Za-z_"  # ASCII "word" characters an ASCII alias must not touch
_SCRIPTS = {
    # script: (character class body, longest alias that needs a script boundary)
    "katakana": ("\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff", 3),
    "hiragana": ("\u3041-\u3096\u309d\u309e", 2),  # the taxonomy requires 3+
    "kanji": ("\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006", 0),
}
_SCRIPT_RES = {name: re.compile(f"[{body}]+") for name, (body, _) in _SCRIPTS.items()}
_JAPANESE_RE = re.compile("[" + "".join(body for body, _ in _SCRIPTS.values()) + "]")
# Kana, not kanji: Chinese text uses kanji too, and "Teams" there is not a Japanese
# headline's product name.
_KANA_RE = re.compile(f"[{_SCRIPTS['hiragana'][0]}{_SCRIPTS['katakana'][0]}]")
_SEPARATORS_RE = re.compile("[" + re.escape(SEPARATOR_CHARS) + "]+")
_SEP = "\0sep"  # trie token for an optional separator
_EXCLUDED = ""  # the "tech id" of an exclude phrase
_SEP_PATTERN = "[" + re.escape(SEPARATOR_CHARS) + "]?"
_MAX_AUTO_CASE_SENSITIVE = 3


@dataclass(frozen=True)
class Mention:
    """One alias found in a text; offsets index the NFKC-normalised text."""

    tech_id: str
    start: int
    end: int
    text: str


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    end: str | None = None  # the condition (regex) that closes an alias here


class MentionMatcher:
    """Match a taxonomy's aliases in text; build once, call ``find`` many times."""

    def __init__(self, techs: Iterable[Tech], exclude: Iterable[str] = ()) -> None:
        """Compile the aliases of ``techs`` and the ``exclude`` phrases.

        Raises
        ------
        ValueError
            If two technologies share an alias (a validated Taxonomy never does).
        """
        techs = tuple(techs)
        roots = {kind: _Node() for kind in ("folded", "exact", "ja")}
        self._ids: dict[str, dict[str, str]] = {kind: {} for kind in roots}
        entries = [(t.id, a, _alias_kind(a, t)) for t in techs for a in t.aliases]
        entries += [(_EXCLUDED, p, _alias_kind(p, None)) for p in exclude]
        for tech_id, alias, kind in entries:
            normal = normalise_alias(alias)
            if not normal:
                continue
            subject = _lower(normal) if kind == "folded" else normal
            ids = self._ids[kind]
            key = _SEPARATORS_RE.sub("", subject)
            if ids.setdefault(key, tech_id) != tech_id:
                raise ValueError(
                    f"alias {alias!r} of {tech_id or 'exclude'!r} is also "
                    f"an alias of {ids[key] or 'exclude'!r}"
                )
            _insert(roots[kind], subject)
        self._folded = _compile(roots["folded"])
        self._exact = _compile(roots["exact"])
        self._ja = _compile(roots["ja"])
        self._broader = _broader_ids(techs)

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> MentionMatcher:
        """Build a matcher for every technology and exclusion of a taxonomy."""
        return cls(taxonomy.techs, taxonomy.exclude)

    def find(self, text: str) -> list[str]:
        """Return the sorted, unique ids of the technologies mentioned in ``text``.

        Includes the parents of what is named, so a PLATEAU headline also counts
        for digital-twin.
        """
        found = {tech_id for _, _, tech_id in self._spans(_normalise(text))}
        if self._broader:
            for tech_id in tuple(found):
                found.update(self._broader.get(tech_id, ()))
        return sorted(found)

    def find_mentions(self, text: str) -> list[Mention]:
        """Return each surviving match in text order, to show staff why a tag was given.

        Offsets and ``text`` refer to the NFKC-normalised input.
        """
        normal = _normalise(text)
        return [
            Mention(tech_id, start, end, normal[start:end])
            for start, end, tech_id in sorted(self._spans(normal))
        ]

    def _spans(self, normal: str) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        if self._folded is not None:
            _scan(self._folded, _lower(normal), self._ids["folded"], found)
        if self._exact is not None:
            _scan(self._exact, normal, self._ids["exact"], found)
        if self._ja is not None and _KANA_RE.search(normal):
            _scan(self._ja, normal, self._ids["ja"], found)
        if len(found) > 1:
            found = [
                span
                for span in found
                if not any(
                    other[0] <= span[0]
                    and span[1] <= other[1]
                    and other[1] - other[0] > span[1] - span[0]
                    for other in found
                )
            ]
        return [span for span in found if span[2] != _EXCLUDED]


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _lower(text: str) -> str:
    """Lower-case without changing the length, so offsets stay comparable."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _alias_kind(alias: str, tech: Tech | None) -> str:
    """Say which expression an alias belongs to: "folded", "exact" or "ja"."""
    normal = normalise_alias(alias)
    if tech is not None:
        if normal in {normalise_alias(a) for a in tech.ja_only}:
            return "ja"
        if normal in {normalise_alias(a) for a in tech.case_sensitive}:
            return "exact"
    short_all_caps = (
        normal.isascii()
        and len(normal) <= _MAX_AUTO_CASE_SENSITIVE
        and any(c.isupper() for c in normal)
        and not any(c.islower() for c in normal)
    )
    return "exact" if short_all_caps else "folded"


def _broader_ids(techs: tuple[Tech, ...]) -> dict[str, tuple[str, ...]]:
    """Map each technology with a parent to its chain of broader ids."""
    parents = {t.id: t.parent for t in techs}
    broader: dict[str, tuple[str, ...]] = {}
    for tech in techs:
        chain: list[str] = []
        parent = tech.parent
        while parent is not None and parent not in chain and parent != tech.id:
            chain.append(parent)
            parent = parents.get(parent)
        if chain:
            broader[tech.id] = tuple(chain)
    return broader


def _scan(
    regex: re.Pattern[str],
    subject: str,
    ids: dict[str, str],
    found: list[tuple[int, int, str]],
) -> None:
    """Collect the longest match starting at each position (overlaps included)."""
    search = regex.search
    match = search(subject)
    while match is not None:
        start, end = match.span()
        tech_id = ids.get(_SEPARATORS_RE.sub("", match.group()))
        if tech_id is not None:
            found.append((start, end, tech_id))
        match = search(subject, start + 1)


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _tokens(alias: str) -> list[str]:
    """Split an alias into trie tokens: characters and optional separators."""
    tokens: list[str] = []
    previous = ""
    for char in alias:
        if char in SEPARATOR_CHARS:
            if tokens and tokens[-1] != _SEP:
                tokens.append(_SEP)
            previous = ""
            continue
        if previous and (
            (_is_ascii_alnum(previous) and _JAPANESE_RE.match(char))
            or (_JAPANESE_RE.match(previous) and _is_ascii_alnum(char))
        ):
            tokens.append(_SEP)
        tokens.append(char)
        previous = char
    return tokens


def _end_condition(alias: str) -> str:
    """Return what must hold after an alias: word boundaries and script boundaries."""
    condition = ""
    if _is_ascii_alnum(alias[-1]):
        condition += f"(?![{_WORD}])"
    for name, (body, limit) in _SCRIPTS.items():
        if len(alias) <= limit and _SCRIPT_RES[name].fullmatch(alias):
            dots = "." * len(alias)
            condition += f"(?<![{body}]{dots})(?![{body}])"
    return condition


def _insert(root: _Node, alias: str) -> None:
    node = root
    for token in _tokens(alias):
        node = node.children.setdefault(token, _Node())
    condition = _end_condition(alias)
    if node.end is None or node.end == condition:
        node.end = condition
    else:  # two spellings ending on the same path with different conditions
        node.end = f"(?:{node.end}|{condition})"


def _token_pattern(token: str, first: bool) -> str:
    if token == _SEP:
        return _SEP_PATTERN
    pattern = re.escape(token)
    if first and _is_ascii_alnum(token):
        # Checked after the first character, so every alternative still starts with
        # a literal and the regex engine can skip ahead to candidate characters.
        pattern += f"(?<![{_WORD}].)"
        if token.isdigit():
            pattern += r"(?<![0-9]\..)"  # "2.5G" is not "5G"
    return pattern


def _render(node: _Node, first: bool) -> str:
    branches = [
        _token_pattern(token, first) + _render(child, False)
        for token, child in sorted(node.children.items(), key=lambda kv: kv[0] == _SEP)
    ]
    if node.end is not None:
        branches.append(node.end)  # last, so longer aliases are tried first
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _compile(root: _Node) -> re.Pattern[str] | None:
    if not root.children:
        return None
    return re.compile(_render(root, True))
