"""Suggesting a request's category from its text, and saying which words decided it.

The text is cut into words with jieba; a multinomial naive-Bayes model whose word weights live in
the database (``CategoryWord``) scores each category. Only words the model knows take part, so a
text with none of them gets no suggestion rather than a guess. The explanation is the words whose
weight favours the chosen category most over the best other category.

``segment`` and ``score`` are pure; ``suggest`` reads the zone's model from the database. The
weights change only through the clerk's confirmation or correction (``services``).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from onezone.enterprises.defaults import REQUEST_CATEGORIES

SMOOTHING = 0.5

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


def segment(text: str) -> list[str]:
    """The meaningful words of ``text`` in order (repeats kept), without stop words and punctuation."""
    words = []
    for raw in _jieba().lcut(text or ""):
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


def _log_likelihoods(model: Model, vocabulary_size: int) -> dict[str, tuple[float, Mapping[str, float]]]:
    out = {}
    for code, words in model.weights.items():
        total = sum(max(v, 0.0) for v in words.values())
        out[code] = (total + SMOOTHING * vocabulary_size, words)
    return out


def _word_log_p(denominators, code: str, word: str) -> float:
    denominator, words = denominators[code]
    return math.log((max(words.get(word, 0.0), 0.0) + SMOOTHING) / denominator)


def score(model: Model, words: Iterable[str], *, explain: int = 5) -> Suggestion:
    """Score ``words`` against ``model``; ties go to the category listed first in the model."""
    vocabulary = model.vocabulary
    counts = Counter(w for w in words if w in vocabulary)
    codes = list(model.weights)
    if not counts or not codes:
        return Suggestion(category=None, words=[])
    denominators = _log_likelihoods(model, len(vocabulary))
    total_trained = sum(model.trained.get(c, 0) for c in codes)
    scores = {}
    for code in codes:
        prior = math.log((model.trained.get(code, 0) + 1) / (total_trained + len(codes)))
        scores[code] = prior + sum(n * _word_log_p(denominators, code, w) for w, n in counts.items())
    best = max(codes, key=lambda c: (scores[c], -codes.index(c)))
    lifts = []
    for word in counts:
        if model.weights[best].get(word, 0.0) <= 0:
            continue
        others = [_word_log_p(denominators, c, word) for c in codes if c != best]
        lift = _word_log_p(denominators, best, word) - (max(others) if others else 0.0)
        if lift > 0:
            lifts.append((lift, word))
    lifts.sort(key=lambda item: (-item[0], item[1]))
    return Suggestion(
        category=best, words=[w for _lift, w in lifts[:explain]], scores={c: round(s, 4) for c, s in scores.items()}
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
