"""Errors that end a run with a documented exit code and a one-line message."""
from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_AWS_ACCESS = 3


class MfaguardError(Exception):
    exit_code = EXIT_BAD_INPUT


class InputError(MfaguardError):
    """Bad input or usage: the message names the file and what is wrong (exit 2)."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, path: str | None, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


class AwsAccessError(MfaguardError):
    """AWS denied or failed an API call (exit 3); names the action/permission."""

    exit_code = EXIT_AWS_ACCESS

    def __init__(self, permission: str, detail: str, region: str | None = None) -> None:
        self.permission = permission
        self.detail = detail
        self.region = region
        where = f" in {region}" if region else ""
        super().__init__(f"AWS access failure{where}: missing permission {permission}: {detail}")
