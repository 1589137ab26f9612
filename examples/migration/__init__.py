"""The examples of the migration guides in docs/migration/ (run by tests/test_docs_guides.py)."""
