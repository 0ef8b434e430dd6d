"""The Checkov side of the IAM checks: a ``BaseGraphCheck`` family over the shared IAM model.

Each file in checks/ (IamPolicyEnforcesMfa, IamConsoleUserMfaEnforced, IamUserMfaEnforced,
IamConsoleGroupMfaEnforced) subclasses ``IamGraphCheck``, names its ``check_id`` and
``candidate_types``, and owns its verdict and message in ``judge(model)``, the way a Prowler
check file sits over a shared service client and a Checkov ``BaseResourceValueCheck`` subclass
over its base.  Metadata comes from mfaguard.catalogue; the model (model.py) is built once per
graph and shared.  On import a check file calls ``register(Check())``: Checkov's terraform graph
registry (shared by the HCL and plan runners) then runs it, under plain
``checkov --external-checks-dir checks`` as under ``mfaguard scan``.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

from checkov.common.bridgecrew.severities import Severities
from checkov.common.graph.checks_infra.base_check import BaseGraphCheck

from mfaguard import catalogue
from mfaguard.checkov_adapter.details import remember
from mfaguard.checkov_adapter.graph import Node, graph_vertices
from mfaguard.checkov_adapter.messages import Result
from mfaguard.checkov_adapter import model as iam_model
from mfaguard.checkov_adapter.model import IamModel
from mfaguard.policy.coverage import FAILED, PASSED, UNKNOWN

log = logging.getLogger(__name__)


class IamGraphCheck(BaseGraphCheck):
    check_id = ""
    candidate_types: tuple[str, ...] = ()  # the vertex types it judges (for the error fallback)

    def __init__(self) -> None:
        super().__init__()
        meta = catalogue.check(self.check_id)
        self.id = meta.id
        self.name = meta.name
        self.category = "IAM"
        self.resource_types = [r.replace("data.", "") for r in meta.resources]
        self.severity = Severities[meta.severity]
        self.guideline = meta.guideline
        self.check_path = __file__

    def judge(self, model: IamModel) -> Iterable[tuple[Node, Result]]:
        """(vertex, Result) for every resource this check judges: the check file's own rule."""
        raise NotImplementedError

    def run(self, graph_connector: Any) -> tuple[list[dict], list[dict], list[dict]]:
        """(passed, failed, unknown) vertex attribute dicts on one graph."""
        buckets: dict[str, list[dict]] = {PASSED: [], FAILED: [], UNKNOWN: []}
        try:
            judged = list(self.judge(iam_model.model_for(graph_connector)))  # module attribute: capturable
        except Exception as exc:  # never a silent pass: Checkov's thread pool would drop the error
            log.exception("%s could not judge this configuration", self.id)
            judged = [(node, Result(UNKNOWN, f"{self.id} could not judge this resource (internal error: {exc!r})."))
                      for node in self._fallback_nodes(graph_connector)]
        for node, result in judged:
            buckets[result.verdict].append(node.entity())
            remember(self.id, node, result.message)
        return buckets[PASSED], buckets[FAILED], buckets[UNKNOWN]

    def _fallback_nodes(self, graph: Any) -> list[Node]:
        out = []
        for idx, attrs in graph_vertices(graph):
            rtype = attrs.get("resource_type")
            if attrs.get("block_type_") in ("resource", "data") and rtype in self.candidate_types:
                local = attrs.get("block_name_") or ""
                out.append(Node(idx, attrs, rtype, attrs.get("__address__") or local, local, ""))
        return out


def register(check: IamGraphCheck) -> None:
    """Add `check` to Checkov's terraform graph registry (shared by the HCL and plan runners).

    Checkov may import a checks/ file several times in one process: the newest instance
    replaces an older one with the same id.
    """
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.runner_filter import RunnerFilter

    registry = get_graph_checks_registry("terraform")
    registry.checks[:] = [c for c in registry.checks if c.id != check.id]
    registry.checks.append(check)
    RunnerFilter.notify_external_check(check.id)
