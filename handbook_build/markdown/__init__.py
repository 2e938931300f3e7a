"""The Python-Markdown extensions: wikilinks, outbound links, the sanitiser."""
