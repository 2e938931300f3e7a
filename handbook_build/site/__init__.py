"""The website: pages, URLs, related guides, search, assets, offline copy, the built-site scan."""
