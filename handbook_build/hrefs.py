"""What a URL written in a page or a stylesheet points to: the handbook's own files, or another host.

One classifier, on ``urllib.parse``, for the checks (sources), the sanitiser,
the outbound-link marker, the asset bundler and the built-site scan (output).
Every function first reads the URL the way a browser does (``browser_form``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Browsers drop tabs and newlines anywhere, trim C0 controls and spaces at both ends and read "\" as "/".
_TABS_AND_NEWLINES = str.maketrans("", "", "\t\n\r")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
_NETWORK_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
# One attribute of a start tag: name, and a double-quoted, single-quoted or bare value.
ATTRIBUTE = re.compile(r"""(?P<name>[^\s"'=<>/`]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?""")

# Elements and the attributes through which they load something.
LOADING_ATTRS: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src", "formaction"),
    "image": ("href", "xlink:href"),  # SVG
    "use": ("href", "xlink:href"),  # SVG
    "feimage": ("href", "xlink:href"),  # SVG
    "base": ("href",),  # turns every relative URL on the page into a remote one
    "button": ("formaction",),  # a form sent to another host
    "a": ("ping",),  # a request to another host on every click
    "area": ("ping",),
}
# <link rel=...> values that make the browser fetch or connect.
LOADING_RELS = frozenset({"stylesheet", "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon",
                           "preload", "modulepreload", "prefetch", "prerender", "dns-prefetch", "preconnect",
                           "manifest", "import", "fluid-icon"})


def browser_form(url: str) -> str:
    """The URL as a browser reads it before parsing: ``java\\nscript:`` is javascript:, ``\\\\host`` is //host."""
    return url.translate(_TABS_AND_NEWLINES).strip(_C0_AND_SPACE).replace("\\", "/")


def scheme(url: str) -> str | None:
    """The scheme a browser would see, lower-cased ('javascript'), or None for a relative URL.

    A drive letter (``C:\\...``) reads as a one-letter scheme, as browsers read it.
    """
    # The scheme ends before the first "/": parsing only that part keeps a broken
    # host ("https://[x") from making urlsplit refuse the whole URL.
    head = browser_form(url).split("/", 1)[0]
    return urlsplit(head).scheme or None


def after_scheme(url: str) -> str:
    """What follows the scheme and its colon (the whole URL when it has none), in browser form."""
    url = browser_form(url)
    name = scheme(url)
    return url[len(name) + 1:] if name else url


def has_host(url: str) -> bool:
    """Does the URL name a host of its own (``https://host/``, ``//host``), rather than a path or an address?"""
    return after_scheme(url).startswith("//")


def is_relative(url: str) -> bool:
    """A path relative to the page or stylesheet: no scheme, no leading "/", not a bare #fragment."""
    url = browser_form(url)
    return scheme(url) is None and not url.startswith(("/", "#"))


def is_foreign(url: str) -> bool:
    """Would a browser fetch this URL from a host of its own (not the page's files)?"""
    name = scheme(url)
    if name is None:
        return has_host(url)  # protocol-relative: another host
    return name in _NETWORK_SCHEMES


def srcset_urls(value: str) -> list[str]:
    """The URLs in a srcset: comma-separated candidates of 'url [descriptor]'."""
    return [part.split()[0] for part in value.split(",") if part.split()]
