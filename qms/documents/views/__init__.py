"""Screens of the documents app, one module per part: the register and a document
(`register`), a revision with its distribution (`revisions`), document sets (`sets`). The
legal register lives in `qms/documents/legal_views.py`."""
