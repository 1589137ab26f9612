"""The loop engine: one test's event loop from creation to closing.

Nothing in this package imports unittest or pytest, so that any front-end
(unittest's TestCase today, a pytest plugin later) can drive it.
"""
