"""Turn the forms a policy document arrives in into one IAM JSON document (a dict).

Pure converters, no Checkov import: the checks pass in what Checkov gives them.

    from_json_string(text)            heredoc / rendered plan string / IAM API string (URL-encoded ok)
    from_jsonencode(value)            `policy = jsonencode({...})` as Checkov presents it
    from_policy_attribute(value)      any `policy`/`content` attribute value: dispatches to the above
    from_policy_document_config(conf, resolve=None)
                                      a `data "aws_iam_policy_document"` block as Checkov presents it
                                      (HCL runner or plan runner), rendered the way the AWS provider
                                      renders it: statement/condition/principals blocks, `dynamic`
                                      statement blocks, `source_policy_documents`, `source_json`,
                                      `override_policy_documents` and `override_json` merged by Sid.
    is_reference(value)               a Terraform reference / unresolved expression? (values's,
                                      re-exported; JSON text is decoded by values.decode_json_text)

Every converter returns a dict, or `Unresolved(reason)` when the document cannot be known
before apply; `semantics.evaluate` turns that into `Verdict.unknown`. Values inside a
document that are references stay in place (as the reference text or `Unresolved`):
evaluate() decides whether they matter.

Checkov shapes (checked on Checkov 3.3.30):
* HCL runner: every attribute is wrapped in a list (`sid: ["x"]`, `actions: [["a", "b"]]`),
  blocks are lists of dicts, `"false"` in a list may arrive as the boolean False, unresolved
  variables arrive as bare text (`"var.flag"`), references to other blocks as
  `"data.aws_iam_policy_document.x.json"`, `$${aws:username}` stays escaped; `dynamic` blocks
  are NOT expanded (`dynamic: [{"statement": {"content": [...], "for_each": [...]}}]`).
* Plan runner: the same wrapping; values unknown after apply are None, or `[[..., "<ref>"]]`
  when the configuration names a non-variable reference; `json`-typed attributes of
  aws_iam_policy & co. are already parsed into a dict.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Optional

from mfaguard.policy.values import Unresolved, decode_json_text, flatten, has_interpolation, is_reference
from mfaguard.policy.values import unwrap as _unwrap

__all__ = ["Unresolved", "is_reference", "from_json_string", "from_jsonencode", "from_policy_attribute",
           "from_policy_document_config", "reference_target"]

Resolver = Callable[[str], Any]


def _strings(value: Any) -> Any:
    """A list attribute (actions, resources, values, identifiers) as a flat list.

    Returns None when the attribute is not set, Unresolved when the whole list is a reference;
    elements that are references/None stay as Unresolved markers.
    """
    if value is None or value == [None]:
        return None  # not set (a plan writes an unset attribute as null; Checkov wraps it)
    if isinstance(value, str):
        return Unresolved(f"{value} is not resolved") if is_reference(value) else [value]
    if not isinstance(value, list):
        return [value]
    flat = flatten(value)
    if not flat and value == []:
        return []
    if len(flat) == 1 and isinstance(flat[0], str) and is_reference(flat[0]) and not has_interpolation(flat[0]):
        # `actions = var.actions` arrives as ["var.actions"]: the whole list is unknown
        return Unresolved(f"{flat[0]} is not resolved")
    out = []
    for x in flat:
        if x is None:
            out.append(Unresolved("a value is unknown until apply"))
        elif isinstance(x, str) and is_reference(x) and not has_interpolation(x):
            out.append(Unresolved(f"{x} is not resolved"))
        elif isinstance(x, str):
            out.append(_aws_variables(x))
        else:
            out.append(x)
    return out


def _aws_variables(text: str) -> str:
    """`&{aws:username}` (provider notation) and `$${...}` (HCL escape) -> `${aws:username}`."""
    return text.replace("&{", "${").replace("$${", "${")


# --------------------------------------------------------------------------------------------
# JSON strings and jsonencode values
# --------------------------------------------------------------------------------------------

def from_json_string(text: Any) -> dict | Unresolved:
    """A policy document written as JSON text (heredoc, file(), plan string, IAM API)."""
    if isinstance(text, Unresolved):
        return text
    if text is None:
        return Unresolved("the policy document is unknown until apply")
    if not isinstance(text, str):
        return Unresolved(f"the policy document is a {type(text).__name__}, not JSON text")
    return decode_json_text(text)


def from_jsonencode(value: Any) -> dict | Unresolved:
    """`jsonencode({...})` as Checkov gives it: a dict, possibly wrapped in one-element lists."""
    v = _unwrap(value)
    if isinstance(v, dict):
        return _strip_wrapping(v)
    if isinstance(v, str):
        return from_json_string(v)
    if v is None:
        return Unresolved("the policy document is unknown until apply")
    return Unresolved(f"the policy document is a {type(v).__name__}, not an object")


def _strip_wrapping(doc: Any) -> Any:
    """Recursively drop one-element list wrapping around dicts (Checkov's HCL quirk)."""
    if isinstance(doc, dict):
        return {k: _strip_wrapping(v) for k, v in doc.items()}
    if isinstance(doc, list):
        if len(doc) == 1 and isinstance(doc[0], dict):
            return _strip_wrapping(doc[0]) if _looks_like_element_map(doc[0]) else [_strip_wrapping(doc[0])]
        return [_strip_wrapping(x) for x in doc]
    return doc


def _looks_like_element_map(d: dict) -> bool:
    """A Condition operator map / Principal map, which IAM never wraps in a list."""
    return not any(isinstance(k, str) and k.lower() in ("effect", "action", "notaction", "resource", "sid")
                   for k in d)


def from_policy_attribute(value: Any) -> dict | Unresolved:
    """The `policy` (or `content`) attribute of a resource, in any form Checkov gives it.

    `["data.aws_iam_policy_document.x.json"]` (a reference: Checkov does not resolve it in a
    Python check) comes back as Unresolved; callers that can see the data source (graph
    checks, plan `configuration`) resolve it themselves and call from_policy_document_config.
    """
    v = _unwrap(value)
    if isinstance(v, dict):
        return _strip_wrapping(v)
    if isinstance(v, str):
        if is_reference(v) and not v.strip().startswith("{"):
            return Unresolved(f"the policy is a reference that is not resolved here: {v.strip()[:120]}")
        return from_json_string(v)
    if v is None or v == []:
        return Unresolved("the policy document is unknown until apply")
    return Unresolved(f"the policy document is a {type(v).__name__}, not an object")


def reference_target(value: Any) -> Optional[str]:
    """`data.aws_iam_policy_document.x[0].json` -> `data.aws_iam_policy_document.x` (else None)."""
    v = _unwrap(value)
    if not isinstance(v, str):
        return None
    s = v.strip()
    m = re.match(r"^\$\{(.*)\}$", s)
    if m:
        s = m.group(1).strip()
    m = re.match(r"^(data\.aws_iam_policy_document\.[\w\-]+)(?:\[[^\]]*\])?\.(?:minified_)?json$", s)
    if m:
        return m.group(1)
    m = re.match(r"^(module\.[\w\-]+(?:\[[^\]]*\])?(?:\.module\.[\w\-]+)*\.data\.aws_iam_policy_document\.[\w\-]+)"
                 r"(?:\[[^\]]*\])?\.(?:minified_)?json$", s)
    return m.group(1) if m else None


# --------------------------------------------------------------------------------------------
# data "aws_iam_policy_document"
# --------------------------------------------------------------------------------------------

def _blocks(conf: dict, name: str) -> list:
    """Blocks named `name` in a Checkov conf: a list of dicts (None/[] when absent)."""
    v = conf.get(name)
    if v is None:
        return []
    if isinstance(v, dict):
        return [v]
    out = []
    for b in v if isinstance(v, list) else [v]:
        b = _unwrap(b) if isinstance(b, list) else b
        if isinstance(b, dict):
            out.append(b)
        elif b is None or b == []:
            continue  # plans write absent blocks as [] (wrapped: [[]]) or null
        else:
            out.append(Unresolved(f"a {name} block is not resolved"))
    return out


def _dynamic_blocks(conf: dict, name: str) -> list:
    """Expand `dynamic "<name>"` entries Checkov leaves unexpanded.

    Content that does not use the iterator is repeated once when for_each is known to be
    non-empty, dropped when it is empty; anything else becomes Unresolved.
    """
    out: list = []
    dynamic = conf.get("dynamic")
    for entry in dynamic if isinstance(dynamic, list) else [dynamic]:
        if not isinstance(entry, dict) or name not in entry:
            continue
        body = entry[name]
        if isinstance(body, list):
            body = _unwrap(body)
        if not isinstance(body, dict):
            out.append(Unresolved(f"a dynamic {name} block is not resolved"))
            continue
        iterator = _unwrap(body.get("iterator")) if body.get("iterator") else name
        count = _for_each_count(body.get("for_each"))
        if count == 0:
            continue
        contents = [c for c in (body.get("content") or []) if isinstance(c, dict)]
        if count is None or any(_uses_iterator(c, str(iterator)) for c in contents):
            out.append(Unresolved(f"a dynamic {name} block depends on values not known here"))
            continue
        out.extend(contents)
    return out


def _for_each_count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        return None
    if isinstance(value, dict):
        return len(value)
    if isinstance(value, list):
        if not value:
            return 0
        if len(value) == 1 and isinstance(value[0], dict):
            return len(value[0])
        if len(value) == 1 and isinstance(value[0], list):
            return len(value[0])
        if len(value) == 1 and isinstance(value[0], str) and is_reference(value[0]):
            return None
        return len(value)
    return None


def _uses_iterator(content: Any, iterator: str) -> bool:
    text = json.dumps(content, default=repr)
    return re.search(rf"(?<![\w.]){re.escape(iterator)}\.(?:value|key)\b", text) is not None


def _render_conditions(stmt_conf: dict) -> Any:
    blocks = _blocks(stmt_conf, "condition") + _dynamic_blocks(stmt_conf, "condition")
    if not blocks:
        return None
    cond: dict = {}
    for b in blocks:
        if isinstance(b, Unresolved):
            return b
        test = _unwrap(b.get("test"))
        variable = _unwrap(b.get("variable"))
        values = _strings(b.get("values"))
        if test is None and variable is None:
            continue
        if isinstance(test, str) and is_reference(test):
            test = f"${{{test}}}" if not has_interpolation(test) else test
        if isinstance(variable, str) and is_reference(variable):
            variable = f"${{{variable}}}" if not has_interpolation(variable) else variable
        if test is None or variable is None:
            return Unresolved("a condition block is unknown until apply")
        if isinstance(values, Unresolved):
            values = [values]
        if values is None:
            values = [Unresolved("condition values are unknown until apply")]
        # The provider appends the values of blocks that share test and variable (ORed).
        cond.setdefault(str(test), {}).setdefault(str(variable), []).extend(values)
    return cond or None


def _render_principals(stmt_conf: dict, name: str) -> Any:
    blocks = _blocks(stmt_conf, name) + _dynamic_blocks(stmt_conf, name)
    if not blocks:
        return None
    out: dict = {}
    for b in blocks:
        if isinstance(b, Unresolved):
            return b
        ptype = _unwrap(b.get("type"))
        ids = _strings(b.get("identifiers"))
        if isinstance(ids, Unresolved) or ptype is None or (isinstance(ptype, str) and is_reference(ptype)):
            return Unresolved(f"{name} are not resolved")
        out.setdefault(str(ptype), []).extend(ids or [])
    if list(out) == ["*"] and out["*"] == ["*"]:
        return "*"
    return out


def _render_statement(stmt_conf: Any) -> Any:
    if isinstance(stmt_conf, Unresolved):
        return stmt_conf
    stmt: dict = {}
    sid = _unwrap(stmt_conf.get("sid"))
    if isinstance(sid, str) and not is_reference(sid) and sid:
        stmt["Sid"] = sid
    elif sid is not None and sid != "" and not isinstance(sid, list):
        stmt["Sid"] = Unresolved("sid is not resolved") if is_reference(sid) else str(sid)
    effect = _unwrap(stmt_conf.get("effect"))
    if effect is None or effect == []:
        effect = "Allow"  # the provider's default
    elif isinstance(effect, str) and is_reference(effect):
        effect = Unresolved(f"effect {effect} is not resolved")
    stmt["Effect"] = effect
    for attr, element in (("actions", "Action"), ("not_actions", "NotAction"),
                          ("resources", "Resource"), ("not_resources", "NotResource")):
        values = _strings(stmt_conf.get(attr))
        if values is None or values == []:
            continue
        stmt[element] = values
    principal = _render_principals(stmt_conf, "principals")
    if principal is not None:
        stmt["Principal"] = principal
    not_principal = _render_principals(stmt_conf, "not_principals")
    if not_principal is not None:
        stmt["NotPrincipal"] = not_principal
    condition = _render_conditions(stmt_conf)
    if condition is not None:
        stmt["Condition"] = condition
    return stmt


def _merge(base: list, statements: list) -> None:
    """The provider's Merge: a statement with a non-blank Sid replaces the one with the same
    Sid in place; others are appended."""
    for st in statements:
        sid = st.get("Sid") if isinstance(st, dict) else None
        if isinstance(sid, str) and sid:
            for i, existing in enumerate(base):
                if isinstance(existing, dict) and existing.get("Sid") == sid:
                    base[i] = st
                    break
            else:
                base.append(st)
        else:
            base.append(st)


def _doc_statements(doc: Any) -> list:
    if not isinstance(doc, dict):
        return []
    stmts = doc.get("Statement")
    if stmts is None:
        for k, v in doc.items():
            if isinstance(k, str) and k.lower() == "statement":
                stmts = v
    if isinstance(stmts, dict):
        return [stmts]
    return list(stmts) if isinstance(stmts, list) else []


def _load_document(entry: Any, resolve: Optional[Resolver]) -> dict | Unresolved:
    """One entry of source_policy_documents / override_policy_documents / source_json."""
    if isinstance(entry, Unresolved):
        return entry
    if isinstance(entry, dict):
        return _strip_wrapping(entry)
    if entry is None:
        return Unresolved("a merged policy document is unknown until apply")
    if isinstance(entry, str) and not entry.strip().startswith("{") and is_reference(entry):
        if resolve is None:
            return Unresolved(f"{entry.strip()} is not resolved")
        got = resolve(entry.strip())
        if got is None:
            return Unresolved(f"{entry.strip()} is not resolved")
        return _load_document(got, None)
    return from_json_string(entry)


def _entries(value: Any) -> list:
    """Documents listed in source_/override_ attributes. None means "not set" (plans write
    unset attributes as null; an unknown one carries its reference instead)."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [value]
    flat: list = []
    for x in value:
        if isinstance(x, list):
            flat.extend(_entries(x))
        elif x is not None:
            flat.append(x)
    return flat


def from_policy_document_config(conf: Any, resolve: Optional[Resolver] = None) -> dict | Unresolved:
    """Render a `data "aws_iam_policy_document"` block (Checkov conf) into IAM JSON.

    `resolve(reference)` is called for source/override entries that are references such as
    `data.aws_iam_policy_document.src.json`; it returns a document (dict or JSON text), a
    nested config rendered by the caller, or None when it cannot tell (-> Unresolved).
    """
    if isinstance(conf, Unresolved):
        return conf
    if not isinstance(conf, dict):
        return Unresolved("the aws_iam_policy_document block is not a mapping")
    try:
        return _render_document(conf, resolve)
    except (TypeError, AttributeError, ValueError, KeyError) as exc:  # a shape Checkov never produced so far
        return Unresolved(f"the aws_iam_policy_document block has an unexpected shape ({exc})")


def _render_document(conf: dict, resolve: Optional[Resolver]) -> dict | Unresolved:

    # A plan may carry the rendered JSON: it is the provider's own answer.
    rendered = _unwrap(conf.get("json"))
    if isinstance(rendered, str) and rendered.strip().startswith("{"):
        doc = from_json_string(rendered)
        if isinstance(doc, dict):
            return doc

    merged: list = []
    unresolved_sources: list[str] = []
    for attr in ("source_json", "source_policy_documents"):
        for entry in _entries(conf.get(attr)):
            doc = _load_document(entry, resolve)
            if isinstance(doc, Unresolved):
                # A source can only add statements (ours and overrides replace by Sid).
                unresolved_sources.append(doc.reason)
                continue
            _merge(merged, _doc_statements(doc))

    own = [_render_statement(s) for s in _blocks(conf, "statement") + _dynamic_blocks(conf, "statement")]
    _merge(merged, own)

    for attr in ("override_policy_documents", "override_json"):
        for entry in _entries(conf.get(attr)):
            doc = _load_document(entry, resolve)
            if isinstance(doc, Unresolved):
                # An override can replace any statement by Sid: nothing can be known.
                return Unresolved(f"an override document is not resolved ({doc.reason})")
            _merge(merged, _doc_statements(doc))

    for reason in unresolved_sources:
        merged.append(Unresolved(f"a source document is not resolved ({reason})"))
    version = _unwrap(conf.get("version"))
    out: dict = {"Version": version if isinstance(version, str) and version else "2012-10-17"}
    policy_id = _unwrap(conf.get("policy_id"))
    if isinstance(policy_id, str) and policy_id:
        out["Id"] = policy_id
    out["Statement"] = merged
    return out
