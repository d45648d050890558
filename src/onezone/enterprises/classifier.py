"""Suggesting a request's category from its text, and saying which words decided it.

The text is cut into words with jieba; a keyword-weight model whose weights live in the database
(``CategoryWord``) scores each category: every known word votes, its vote shared among the
categories by weight. Only words the model knows take part, so a text with none of them gets no
suggestion rather than a guess. The explanation is the words that voted mostly for the winner.

``segment`` and ``score`` are pure; ``suggest`` reads the zone's model from the database. The
weights change only through the clerk's confirmation or correction (``services``).
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from onezone.enterprises.defaults import REQUEST_CATEGORIES

# Single characters that carry meaning in an enterprise's request on their own.
_SINGLE_WORDS = frozenset("电水气热地税钱路")
_STOPWORDS = frozenset(
    [
        "我们",
        "你们",
        "他们",
        "公司",
        "企业",
        "我司",
        "本公司",
        "贵",
        "希望",
        "能够",
        "能否",
        "是否",
        "可以",
        "需要",
        "请求",
        "请",
        "帮助",
        "帮忙",
        "协调",
        "解决",
        "问题",
        "情况",
        "目前",
        "现在",
        "今年",
        "明年",
        "一些",
        "一下",
        "有关",
        "相关",
        "进行",
        "由于",
        "因为",
        "所以",
        "但是",
        "如果",
        "已经",
        "还是",
        "没有",
        "一直",
        "非常",
        "比较",
        "以及",
        "或者",
        "这个",
        "那个",
        "哪些",
        "什么",
        "怎么",
        "如何",
        "关于",
        "对于",
        "存在",
        "影响",
        "方面",
        "工作",
        "尽快",
        "及时",
        "园区",
        "管委会",
        "部门",
    ]
)
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# jieba's word graph costs up to the square of a run's length (a long run of one character took 14 s
# for 50,000 characters), so the text is cut at punctuation and white space, and a run longer than
# this is cut again: the work per character is bounded, and the whole is linear in the text.
RUN_MAX_CHARS = 64
_RUN_BREAKS = re.compile(r"[\s，。、；：！？,.;:!?（）()【】\[\]“”\"'《》<>/\\|—-]+")

_jieba_lock = threading.Lock()
_jieba_ready = False


def _jieba():
    """jieba, loaded once with the seed words added so they are cut as whole words."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                for *_head, words in REQUEST_CATEGORIES:
                    for word in words:
                        jieba.add_word(word, freq=20000)
                _jieba_ready = True
    return jieba


def runs(text: str) -> list[str]:
    """``text`` cut at punctuation and white space into runs of at most ``RUN_MAX_CHARS`` characters."""
    pieces = []
    for run in _RUN_BREAKS.split(text or ""):
        pieces.extend(run[i : i + RUN_MAX_CHARS] for i in range(0, len(run), RUN_MAX_CHARS))
    return [piece for piece in pieces if piece]


def segment(text: str) -> list[str]:
    """The meaningful words of ``text`` in order (repeats kept), without stop words and punctuation.

    Time is linear in the length of the text (see ``RUN_MAX_CHARS``).
    """
    jieba = _jieba()
    words = []
    for raw in (token for run in runs(text) for token in jieba.lcut(run)):
        word = raw.strip().lower()
        if not word or not _WORD.search(word) or word in _STOPWORDS:
            continue
        if len(word) == 1 and word not in _SINGLE_WORDS:
            continue
        words.append(word[:30])
    return words


@dataclass(frozen=True)
class Model:
    """Word weights per category code, and how many requests each category has learnt from."""

    weights: Mapping[str, Mapping[str, float]]
    trained: Mapping[str, int] = field(default_factory=dict)

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(w for words in self.weights.values() for w, v in words.items() if v > 0)


@dataclass(frozen=True)
class Suggestion:
    """The suggested category code (None when no known word was found), the deciding words, the scores."""

    category: str | None
    words: list[str]
    scores: dict[str, float] = field(default_factory=dict)


def score(model: Model, words: Iterable[str], *, explain: int = 5) -> Suggestion:
    """Score ``words`` against ``model``.

    Each known word of the text casts one vote (per occurrence), shared among the categories in
    proportion to its weight in each; the category with most votes wins, ties going to the one
    listed first. The deciding words are those that gave the winner at least half their vote.
    """
    codes = list(model.weights)
    totals: dict[str, float] = {}
    for words_of in model.weights.values():
        for word, weight in words_of.items():
            if weight > 0:
                totals[word] = totals.get(word, 0.0) + weight
    counts = Counter(w for w in words if w in totals)
    if not counts or not codes:
        return Suggestion(category=None, words=[])
    scores = dict.fromkeys(codes, 0.0)
    for word, n in counts.items():
        for code in codes:
            weight = model.weights[code].get(word, 0.0)
            if weight > 0:
                scores[code] += n * weight / totals[word]
    best = max(codes, key=lambda c: (scores[c], -codes.index(c)))
    shares = [
        (counts[w] * model.weights[best].get(w, 0.0) / totals[w], w)
        for w in counts
        if model.weights[best].get(w, 0.0) / totals[w] >= 0.5
    ]
    shares.sort(key=lambda item: (-item[0], item[1]))
    return Suggestion(
        category=best, words=[w for _share, w in shares[:explain]], scores={c: round(s, 4) for c, s in scores.items()}
    )


def model_for_zone(zone_id: int) -> Model:
    """The zone's model as stored, categories in their listed order."""
    from onezone.enterprises.models import CategoryWord, RequestCategory

    weights: dict[str, dict[str, float]] = {}
    trained: dict[str, int] = {}
    for code, count in RequestCategory.objects.filter(zone_id=zone_id).values_list("code", "training_count"):
        weights[code] = {}
        trained[code] = count
    for code, word, weight in CategoryWord.objects.filter(zone_id=zone_id).values_list(
        "category__code", "word", "weight"
    ):
        weights[code][word] = weight
    return Model(weights=weights, trained=trained)


def suggest(*, zone_id: int, text: str) -> Suggestion:
    """The category the zone's model suggests for ``text``, with the words that made it choose."""
    return score(model_for_zone(zone_id), segment(text))
