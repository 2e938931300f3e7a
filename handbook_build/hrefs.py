"""What a URL written in a page or a stylesheet points to: the handbook's own files, or another host.

One classifier for the checks (sources) and the built-site scan (output).
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
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
    "input": ("src",),
    "image": ("href", "xlink:href"),  # SVG
    "use": ("href", "xlink:href"),  # SVG
    "feimage": ("href", "xlink:href"),  # SVG
    "base": ("href",),  # turns every relative URL on the page into a remote one
}
# <link rel=...> values that make the browser fetch or connect.
LOADING_RELS = frozenset({"stylesheet", "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon",
                           "preload", "modulepreload", "prefetch", "prerender", "dns-prefetch", "preconnect",
                           "manifest", "import", "fluid-icon"})

def is_foreign(url: str) -> bool:
    """Would a browser fetch this URL from a host of its own (not the page's files)?"""
    # Browsers drop tabs and newlines anywhere, trim spaces and read "\" as "/".
    url = re.sub(r"[\t\n\r]", "", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12"
                                              "\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ").replace("\\", "/")
    if url.startswith("//"):
        return True  # protocol-relative: another host
    scheme = _SCHEME.match(url)
    return bool(scheme) and scheme.group(1).lower() in _NETWORK_SCHEMES


def srcset_urls(value: str) -> list[str]:
    """The URLs in a srcset: comma-separated candidates of 'url [descriptor]'."""
    return [part.split()[0] for part in value.split(",") if part.split()]
