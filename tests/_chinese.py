"""What a person reads on a page, and the Latin words in it that are not codes, numbers, units or names.

Used by the test that walks every role's pages: the Chinese interface may show a code (``civil_affairs``,
``91620321MA…``, ``demo-leader``), an acronym (PDF, USCC), a unit (km²) or a product's name on the
allow-list, never an English word such as "Filters" or a setting's key such as "zero".
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIP_TAGS = {"script", "style", "svg", "template", "code", "pre", "noscript", "textarea", "select", "option"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Classes whose text is not words: icon ligatures, text for screen readers of the theme, code columns.
SKIP_CLASSES = ("material-symbols", "material-icons", "field-key", "field-code", "field-username", "field-category")
# Names and abbreviations a Chinese office writes in Latin letters.
ALLOWED = {
    w.lower()
    for w in [
        "OneZone",
        "English",
        "PDF",
        "OFD",
        "PNG",
        "JPEG",
        "JPG",
        "Excel",
        "Word",
        "xlsx",
        "docx",
        "csv",
        "YAML",
        "JSON",
        "UTF",
        "API",
        "URL",
        "HTTP",
        "HTTPS",
        "SMS",
        "QR",
        "USCC",
        "ID",
        "GB",
        "GB/T",
        "KiB",
        "MiB",
        "OpenAPI",
        "Open311",
        "km",
        "kg",
        "kWh",
        "PVC",
        "PLA",
        "DCS",
        "SIS",
        "SCADA",
        "LNG",
        "LPG",
        "UN",
        "CAS",
        "ok",
        "hans",
        "esc",
        # The demo zone's and parks' codes: place names in pinyin.
        "yongchang",
        "hexipu",
        "dongzhai",
    ]
}
TOKEN = re.compile(r"[A-Za-z0-9_.\-/@+²³'’]+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _hidden(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = attributes.get("class") or ""
        skip = tag in SKIP_TAGS or any(name in classes for name in SKIP_CLASSES)
        if not self._hidden():
            self.parts.extend(attributes[k] for k in ("placeholder", "title", "aria-label", "alt") if attributes.get(k))
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _is_word(token: str) -> bool:
    """A token that is an English word rather than a code, a number, an acronym or an allowed name."""
    letters = re.sub(r"[^A-Za-z]", "", token)
    if len(letters) <= 2 or token.lower() in ALLOWED or letters.lower() in ALLOWED:
        return False
    if re.search(r"[0-9_.\-/@+]", token.strip(".'’")):
        return False  # codes, file names, addresses, numbers
    return not letters.isupper()  # acronyms in capitals are codes


def _is_joiner(token: str) -> bool:
    """A short word ("to", "of", "a") that carries a run of English words on but never starts one."""
    return token.isalpha() and len(token) <= 2 and token.isascii()


def latin_leaks(html: str) -> list[str]:
    """The runs of English words in what the page shows, in order, each once."""
    runs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        while current and _is_joiner(current[-1]):
            current.pop()
        if current:
            runs.append(" ".join(current))
        current.clear()

    for match in re.finditer(r"\S+", visible_text(html)):
        chunk = match.group(0)
        tokens = TOKEN.findall(chunk)
        whole = len(tokens) == 1 and tokens[0] == chunk
        if (whole and _is_word(chunk)) or (whole and current and _is_joiner(chunk)):
            current.append(chunk)
        else:
            flush()
            runs.extend(t for t in tokens if _is_word(t))
    flush()
    return list(dict.fromkeys(runs))
