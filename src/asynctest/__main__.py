"""``python -m asynctest``: see :mod:`asynctest._cli`."""

from ._cli import main

if __name__ == "__main__":
    main()
