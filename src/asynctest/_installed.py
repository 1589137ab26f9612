"""A warning when asynctest 0.13 is installed next to asynctest-ng.

Both distributions install the ``asynctest`` package: whichever was installed
last overwrote the other's files, and ``pip uninstall`` of either one removes
files the other needs. This is checked once per process, at import, by
looking for the old distribution's metadata directory on ``sys.path`` (what
``importlib.metadata`` would find, without importing it: that import alone
would cost more than the rest of ``import asynctest``).
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterable
from typing import Optional

_OLD_DISTRIBUTION = "asynctest"
_METADATA_SUFFIXES = (".dist-info", ".egg-info")

_checked = False


class InstallConflictWarning(UserWarning):
    """asynctest 0.13 is installed next to asynctest-ng: both own the ``asynctest`` package.

    Issued once, by ``import asynctest``; the message names the old
    distribution's metadata and how to repair the environment: uninstall both,
    then install asynctest-ng again. Under ``-W error`` (pytest's
    ``filterwarnings = error``) the import fails with this message instead.
    """


def _old_distribution_in(entries: Iterable[str]) -> Optional[tuple[str, str]]:
    """(metadata path, version) of an ``asynctest`` distribution on ``entries``, or None."""
    for entry in entries:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # not a directory (a zip file, a missing path)
            continue
        for name in names:
            if not name.endswith(_METADATA_SUFFIXES):
                continue
            stem = name.rsplit(".", 1)[0]  # asynctest-0.13.0 or asynctest-0.13.0-py3.8
            project, _, version = stem.partition("-")
            normalized = project.lower().replace("-", "_").replace(".", "_")
            if normalized == _OLD_DISTRIBUTION:
                return os.path.join(entry, name), version.split("-")[0] or "(unknown version)"
    return None


def warn_if_old_asynctest_installed() -> None:
    """Warn (once per process) when the ``asynctest`` distribution is installed too."""
    global _checked
    if _checked:
        return
    _checked = True
    message = conflict_message()
    if message is not None:
        warnings.warn(message, InstallConflictWarning, stacklevel=2)


_message: Optional[str] = None
_looked = False


def conflict_message() -> Optional[str]:
    """What the warning says when asynctest 0.13 is installed too, else None (looked up once).

    The pytest plugin issues it again as a configuration warning, under the
    run's warning filters (pytest imports its plugins before applying them).
    """
    global _message, _looked
    if not _looked:
        _looked = True
        found = _old_distribution_in(sys.path)
        if found is not None:
            path, version = found
            _message = (
                f"asynctest {version} is installed next to asynctest-ng ({path}). Both "
                f"install the 'asynctest' package, so each overwrote files of the other, and "
                f"uninstalling either one breaks 'import asynctest'. Fix: 'pip uninstall -y "
                f"asynctest asynctest-ng', then 'pip install asynctest-ng' again."
            )
    return _message
