"""The example of docs/mock.md (run by tests/test_docs_guides.py)."""
