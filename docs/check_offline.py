"""Check that the built documentation loads nothing from another host.

Usage (after the Sphinx build, from the repository root or from ``docs/``)::

    python docs/check_offline.py [docs/_build/html]

Every HTML page is parsed and every resource the browser would fetch on its
own (``<script src>``, ``<link href>`` of a stylesheet, font, icon or preload,
``<img>``/``<source>``/``<iframe>``/``<video>``/``<audio>``/``<embed>``/
``<object>`` sources, ``url(...)`` and ``@import`` in inline styles) must be a
relative path or a ``data:`` URL. Every CSS file of the build is checked for
``url(...)`` and ``@import`` pointing to another host. Ordinary hyperlinks
(``<a href>``) are allowed: they are only followed when clicked.

It also checks that pages with math load a MathJax script that is part of the
build. The exit status is 1 when a problem is found, with one line per problem.
"""

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

# A URL with a scheme other than data:, or protocol-relative ("//host/...").
_EXTERNAL = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
_CSS_URL = re.compile(
    r"""url\(\s*['"]?([^'")\s]+)|@import\s+(?:url\()?\s*['"]([^'"]+)""", re.I
)
# <link rel=...> values whose href the browser fetches by itself.
_FETCHED_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
    "dns-prefetch",
    "preconnect",
}
_SRC_TAGS = {"script", "img", "iframe", "source", "video", "audio", "embed", "track"}


def _is_external(url):
    url = url.strip()
    return bool(_EXTERNAL.match(url)) and not url.lower().startswith("data:")


def _css_urls(text):
    for match in _CSS_URL.finditer(text):
        yield match.group(1) or match.group(2)


class _ResourceParser(HTMLParser):
    """Collect the URLs a page fetches by itself, and its script sources."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fetched = []  # (tag, url)
        self.scripts = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if tag in _SRC_TAGS:
            for name in ("src", "poster"):
                if attrs.get(name):
                    self.fetched.append((tag, attrs[name]))
        if tag in {"img", "source"} and attrs.get("srcset"):
            for candidate in attrs["srcset"].split(","):
                if candidate.strip():
                    self.fetched.append((tag, candidate.split()[0]))
        if tag == "object" and attrs.get("data"):
            self.fetched.append((tag, attrs["data"]))
        if tag == "link":
            rels = set(attrs.get("rel", "").lower().split())
            if rels & _FETCHED_RELS and attrs.get("href"):
                self.fetched.append(("link", attrs["href"]))
        if attrs.get("style"):
            self.fetched.extend(("style", url) for url in _css_urls(attrs["style"]))
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.fetched.extend(("style", url) for url in _css_urls(data))


def check(build_dir):
    """Return a list of problems (strings) found in ``build_dir``."""
    build_dir = Path(build_dir)
    problems = []
    pages = sorted(build_dir.rglob("*.html"))
    if not pages:
        return [f"{build_dir}: no HTML pages (build the docs first)"]
    for page in pages:
        rel = page.relative_to(build_dir)
        text = page.read_text(encoding="utf-8", errors="replace")
        parser = _ResourceParser()
        parser.feed(text)
        for tag, url in parser.fetched:
            if _is_external(url):
                problems.append(f"{rel}: <{tag}> loads {url}")
        has_math = 'class="math' in text
        if has_math:
            mathjax = [s for s in parser.scripts if "mathjax" in s.lower()]
            if not mathjax:
                problems.append(f"{rel}: has math but loads no MathJax script")
            for src in mathjax:
                if _is_external(src):
                    continue  # already reported
                target = (page.parent / src.split("?")[0]).resolve()
                if not target.is_file():
                    problems.append(f"{rel}: MathJax script {src} is not in the build")
    for css in sorted(build_dir.rglob("*.css")):
        rel = css.relative_to(build_dir)
        text = css.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # drop comments
        for url in _css_urls(text):
            if _is_external(url):
                problems.append(f"{rel}: loads {url}")
    return problems


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    default = Path(__file__).resolve().parent / "_build" / "html"
    build_dir = Path(argv[0]) if argv else default
    problems = check(build_dir)
    for problem in problems:
        print(problem)
    n_pages = len(list(build_dir.rglob("*.html")))
    if problems:
        print(f"{len(problems)} external resource(s) in {n_pages} pages of {build_dir}")
        return 1
    print(f"offline check: {n_pages} pages of {build_dir} load nothing from "
          "another host")
    return 0


if __name__ == "__main__":
    sys.exit(main())
