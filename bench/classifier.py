"""The request-category suggestion's time against the length of the text.

Prints, for each length, the median time of ``classifier.segment`` on three kinds of text (a real
request repeated, one character repeated with no punctuation, Latin letters), the time per thousand
characters, and its ratio to the time per thousand characters of the same kind of text at 1,000
characters, measured in the same run: a ratio near 1 at every length means the work is linear in the
text (before the text was cut into bounded runs, one character repeated 50,000 times took 14 s).

    .venv/bin/python bench/classifier.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import django

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onezone.settings")
django.setup()

from onezone.enterprises import classifier  # noqa: E402

REQUEST = "我公司希望园区协调解决用电增容问题，变压器容量不足，影响生产。"
TEXTS = {
    "request": lambda n: (REQUEST * (n // len(REQUEST) + 1))[:n],
    "one character": lambda n: "电" * n,
    "latin": lambda n: "a" * n,
}
LENGTHS = (1_000, 5_000, 20_000, 50_000, 100_000)


def _median(fn, text: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    classifier.segment("预热")
    print(f"{'text':<14}{'chars':>9}{'segment ms':>12}{'ms/1k chars':>13}{'ratio':>8}")
    for name, make in TEXTS.items():
        per_char_at_start = None
        for n in LENGTHS:
            seconds = _median(classifier.segment, make(n), args.rounds)
            per_char = seconds / n
            per_char_at_start = per_char_at_start or per_char
            ratio = per_char / per_char_at_start
            print(f"{name:<14}{n:>9,}{seconds * 1000:>12.1f}{per_char * 1e6:>13.2f}{ratio:>8.2f}")


if __name__ == "__main__":
    main()
