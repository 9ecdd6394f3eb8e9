"""Check that the built HTML documentation works without the network.

Run after the build, from the repository root::

    python doc/check_offline.py doc/_build/html

It fails (exit status 1, a line per problem) when a page loads a script or a
style sheet from another host (``http://``, ``https://`` or ``//``
addresses), when a page with mathematics does not load the local MathJax,
or when that file is missing from the build.  Links to other sites are
fine: only what a browser fetches to show the page matters.
"""

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

#: Where ``sphinx-mathjax-offline`` puts MathJax, relative to the build.
MATHJAX = "_static/mathjax/tex-chtml.js"

_REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//")


class _Loads(HTMLParser):
    """Collect the addresses of the scripts and style sheets of a page."""

    def __init__(self):
        super().__init__()
        self.scripts, self.styles, self.has_math = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.styles.append(attrs.get("href") or "")
        if "math" in (attrs.get("class") or "").split():
            self.has_math = True


def problems(root):
    """The problems found in the HTML build under ``root``, as strings."""
    root = Path(root)
    found = []
    pages = sorted(root.rglob("*.html"))
    if not pages:
        return [f"{root}: no HTML pages"]
    mathjax = root / MATHJAX
    if not mathjax.is_file():
        found.append(f"{mathjax}: missing (MathJax is not bundled)")
    math_pages = 0
    for page in pages:
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        name = page.relative_to(root)
        for kind, addresses in (("script", parser.scripts), ("style sheet", parser.styles)):
            for address in addresses:
                if _REMOTE.match(address):
                    found.append(f"{name}: loads a {kind} from {address}")
        if parser.has_math:
            math_pages += 1
            local = [
                address
                for address in parser.scripts
                if (page.parent / address.split("?")[0]).resolve() == mathjax.resolve()
            ]
            if not local:
                found.append(f"{name}: has mathematics but does not load {MATHJAX}")
    if not math_pages:
        found.append(f"{root}: no page has mathematics (is this the skmlp build?)")
    return found


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root = argv[0] if argv else "doc/_build/html"
    found = problems(root)
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} problem(s): the pages need the network")
        return 1
    print(f"{root}: every page works offline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
