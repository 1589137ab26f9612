"""The examples of docs/guide.md (run by tests/test_docs_guides.py)."""
