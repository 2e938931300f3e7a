"""The MkDocs plugin and its typed config: the only MkDocs importers besides the CLI."""
