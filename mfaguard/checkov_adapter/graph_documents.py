"""The policy document of a vertex: resolved across blocks, converted by mfaguard.policy.documents.

Documents are never taken from Checkov's rendered ``json`` of an ``aws_iam_policy_document``
(its converter keeps only the last of two ``condition`` blocks with the same test and variable):
they are rebuilt from the raw statement blocks.  ``policy = data.aws_iam_policy_document.x.json``,
``source_policy_documents`` and module outputs are followed through the index.
"""
from __future__ import annotations

from typing import Any

from mfaguard.checkov_adapter.graph import DOC, GROUP_POLICY, ORG_POLICY, POLICY, USER_POLICY, Node, unique
from mfaguard.checkov_adapter.index import GraphIndex
from mfaguard.policy import documents
from mfaguard.policy.semantics import Unresolved

_SOURCES = (DOC, POLICY, GROUP_POLICY, USER_POLICY)


class GraphDocuments:
    """(document, None) or (None, reason) per policy-bearing vertex, each computed once."""

    def __init__(self, index: GraphIndex) -> None:
        self.index = index
        self._cache: dict[int, tuple[Any, str | None]] = {}

    def as_model_document(self, node: Node) -> Any:
        """The document as the engine's model holds it: a dict, or Unresolved(reason)."""
        doc, reason = self.document(node)
        return doc if doc is not None else Unresolved(reason or "the policy document cannot be resolved")

    def document(self, node: Node, attr: str = "policy", _seen: frozenset = frozenset()) -> tuple[Any, str | None]:
        if node.type == DOC:
            return self._data_document(node, _seen)
        if node.type == ORG_POLICY and attr == "policy":
            attr = "content"  # aws_organizations_policy holds its document in `content`
        key = node.idx if attr == "policy" else -node.idx - 1
        if key in self._cache:
            return self._cache[key]
        value = node.value(attr)
        targets = self._targets(node, attr, value, _seen)
        if len(targets) == 1:
            result = self.document(targets[0], "policy", _seen | {node.idx})
        else:
            doc = documents.from_policy_attribute(value)
            if isinstance(doc, Unresolved):
                shown = "unknown until apply" if value is None else str(value)[:160]
                result = (None, f"the {attr} of {node.display} ({shown}) cannot be resolved from the configuration")
            else:
                result = (doc, None)
        self._cache[key] = result
        return result

    def _targets(self, node: Node, attr: str, value: Any, seen: frozenset) -> list[Node]:
        if not (isinstance(value, str) and documents.is_reference(value) and not value.lstrip().startswith("{")):
            return []
        index = self.index
        targets = index.lookup_refs(node, value, _SOURCES) or index.edge_targets(node, attr, _SOURCES)
        if not targets and index.plan:
            targets = index.plan_ref_targets(node, (DOC,))
        return [t for t in unique(targets) if t is not node and t.idx not in seen]

    def _data_document(self, node: Node, seen: frozenset) -> tuple[Any, str | None]:
        if node.idx in self._cache:
            return self._cache[node.idx]
        if node.idx in seen:
            return None, f"{node.display} refers to itself"
        seen = seen | {node.idx}

        def resolve(reference: str) -> Any:
            targets = [t for t in self.index.lookup_refs(node, reference, (DOC, POLICY)) if t.idx not in seen]
            if len(targets) != 1:
                return None
            doc, _reason = self.document(targets[0], "policy", seen)
            return doc

        doc = documents.from_policy_document_config(node.raw_config(), resolve=resolve)
        result: tuple[Any, str | None] = (None, f"{node.display}: {doc.reason}") if isinstance(doc, Unresolved) \
            else (doc, None)
        self._cache[node.idx] = result
        return result
