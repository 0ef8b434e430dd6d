"""One graph's IAM model, built once and shared by the four IAM checks.

    model_for(graph) -> IamModel(index, documents, principals, engine, nodes)

The first IAM check to run on a graph builds it; the others get the same object (a cache
keyed on the graph object, behind a lock: Checkov runs graph checks in a thread pool).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from mfaguard.checkov_adapter.builder import ModelBuilder
from mfaguard.checkov_adapter.graph import Node
from mfaguard.checkov_adapter.graph_documents import GraphDocuments
from mfaguard.checkov_adapter.index import GraphIndex
from mfaguard.policy.coverage import Engine
from mfaguard.policy.model import Principals
from mfaguard.policy.semantics import Verdict


@dataclass
class IamModel:
    index: GraphIndex
    documents: GraphDocuments
    principals: Principals
    engine: Engine
    nodes: dict[str, Node]  # model key -> vertex (users, groups, managed policies)

    @classmethod
    def build(cls, graph: Any) -> "IamModel":
        index = GraphIndex(graph)
        docs = GraphDocuments(index)
        builder = ModelBuilder(index, docs)
        principals = builder.build()
        return cls(index, docs, principals, Engine(principals), builder.nodes)

    def verdict(self, node: Node) -> Verdict:
        """The engine's verdict of a policy-bearing vertex's document (CKV_MFA_4)."""
        return self.engine.document_verdict(self.documents.as_model_document(node))


_lock = threading.Lock()
_cache: tuple[Any, IamModel] | None = None


def model_for(graph: Any) -> IamModel:
    """The IamModel of `graph`, built once per graph and shared by the four checks."""
    global _cache
    with _lock:
        if _cache is not None and _cache[0] is graph:
            return _cache[1]
        model = IamModel.build(graph)
        _cache = (graph, model)
        return model
