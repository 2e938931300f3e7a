"""The handbook in the formats readers carry around: an EPUB, a Kiwix ZIM, and one fold-and-staple zine per topic.

Plain Python on the same model views as the PDF (pdf/book.py); no MkDocs here.
``outputs.write`` is what the plugin calls after the site and the PDF are written.
"""
