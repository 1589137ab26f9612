"""asynctest.mock, split by concept: the mock classes, ``awaited``, patching, extras.

The public names are exported by :mod:`asynctest.mock`.
"""
