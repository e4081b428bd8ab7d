"""The outcome the radar predicts, in words: what "a de facto standard a year on" means.

Kept at the bottom of the package so every part that must state it (the staying-power labels
and back-test in ``radar.staying.outcomes``, the model card ``radar train`` writes, the README)
states the same thing. The arithmetic is in ``radar.staying.outcomes`` and
``radar.staying.series_signals``.
"""

from __future__ import annotations

# Adoption evidence holds when the level over the 12 months after a date is at least this
# share of the level over the 12 months before it ("against a collapse"). Set from the
# definition, not from any back-test.
HOLD_SHARE = 0.5

DEFINITION = {
    "en": (
        "A technology counts as a de facto standard a year on when (1) its adoption series"
        " (jobs, Stack Overflow questions, GitHub activity, downloads) hold at least"
        f" {HOLD_SHARE:.0%} of their level at the date over the following 12 months; where it"
        " has none, (2) a staff verdict or a dated radar (reaching Adopt = standard, Hold without"
        " Adopt = not) made within that year says so; where there is neither, (3) it is still"
        " covered in at least 4 of the weeks 40-52 after by two of the sources that covered it in"
        " the year before (or by every one of them still publishing). The same definition"
        " labels the staying-power model's training examples and is the back-test's truth."
    ),
    "ja": (
        "1年後に事実上の標準かどうかは、(1) 利用実績の系列（求人・Stack Overflowの質問・GitHubの"
        f"活動・ダウンロード）があれば、その後12か月の水準が時点の水準の{HOLD_SHARE:.0%}以上を"
        "保つか、(2) それがなければ、その1年以内の職員の判断や日付のあるレーダー（Adopt到達＝"
        "標準、Adoptを経ないHold＝標準でない）、(3) どちらもなければ、40〜52週後のうち4週以上で"
        "それ以前の1年に報じていた媒体のうち2媒体以上（続いている媒体が1つならその媒体）に報道されているか、で判定する。学習ラベルとバックテストの正解に同じ定義を使う。"
    ),
}
