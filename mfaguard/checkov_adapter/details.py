"""Per-finding messages of the IAM graph checks.

Checkov does not carry a graph check's details into its records, so each verdict's message is
kept here, keyed by (check id, file, resource), and exposed by ``details_for(record)``;
``mfaguard scan`` copies them into ``record.details`` (SARIF attachments, CLI "Details").
"""
from __future__ import annotations

import os
from typing import Any

from mfaguard.checkov_adapter.graph import Node

DETAILS: dict[tuple[str, str, str], list[str]] = {}


def _aliases(node: Node) -> set[str]:
    names = {node.address, node.local, node.display}
    if node.type.startswith("data."):
        names.add(f"data.{node.local}")
    if node.module:  # a plan has one file for every module: the bare block name would collide
        names = {n for n in names if n.startswith(node.module)}
    return names


def remember(check_id: str, node: Node, message: str) -> None:
    path = os.path.abspath(node.attrs.get("file_path_") or "")
    for alias in _aliases(node):
        DETAILS[(check_id, path, alias)] = [message]


def details_for(record: Any) -> list[str]:
    """The case-specific message for a Checkov record of one of the IAM checks ([] if none)."""
    path = os.path.abspath(getattr(record, "file_abs_path", "") or "")
    for alias in (getattr(record, "resource", None), getattr(record, "resource_address", None)):
        if alias and (record.check_id, path, alias) in DETAILS:
            return list(DETAILS[(record.check_id, path, alias)])
    return []
