"""The examples of docs/selector.md (run by tests/test_docs_guides.py)."""
