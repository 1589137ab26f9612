"""The examples of docs/guide.md, docs/mock.md and docs/selector.md (run by tests/test_docs_guides.py)."""
