"""Where the installed Checkov checks live (a checkout's checks/ or the wheel's mfaguard/checks)."""
from __future__ import annotations

import os


def _package_dir(name: str) -> str | None:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.abspath(list(spec.submodule_search_locations)[0])


def checks_dir() -> str:
    path = _package_dir("mfaguard.checks")
    if path is None:  # running from a checkout without installing
        path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "checks")
    return path


def policies_dir() -> str | None:
    path = _package_dir("mfaguard.policies")
    if path is None:
        path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "policies")
    return path if os.path.isdir(path) else None


def external_checks_dirs() -> list[str]:
    dirs = [checks_dir()]
    pol = policies_dir()
    if pol:
        dirs.append(pol)
    return dirs
