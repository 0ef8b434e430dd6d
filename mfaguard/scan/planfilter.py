"""Plan JSON, prefiltered like HCL: only the resources mfaguard's checks can read reach Checkov.

Checkov's plan runner decodes the whole plan with a line-tracking JSON decoder written in
Python (about 2-3 s per 10 MB); a 100 MB plan of buckets and instances costs minutes for a
dozen IAM blocks.  :func:`filter_plan_text` walks the plan's structure, decodes each element of
the resource arrays with the C JSON decoder (``raw_decode``), and blanks the elements no check
can depend on, newlines kept, so every kept resource keeps its line numbers:

* ``planned_values`` / ``prior_state.values`` (``root_module`` and every ``child_modules``),
  ``resource_changes``, ``resource_drift``, and ``configuration`` (``root_module`` and every
  ``module_calls.*.module``) are filtered;
* kept: every data source, every resource of a relevant type, and every resource a kept
  configuration block references (transitively, by ``TYPE.NAME``), as the HCL prefilter does;
* everything else in the plan (variables, outputs, relevant_attributes, ...) is left as it is.

:func:`run_plan` validates the plan (format, planned_values, state), writes the filtered copy
into a private temporary folder, runs Checkov on it and points every record back at the file
the user gave.  Bad plans become one-line errors, never a traceback.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Any, Callable

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")
_REF = re.compile(r"(?:^|\.)([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)")
SUPPORTED_PLAN_MAJOR = ("0", "1")


class PlanError(ValueError):
    """The file is not a plan mfaguard can judge; the message is the one-line problem."""


@dataclass
class _Array:
    start: int  # offset of '['
    end: int  # offset just after ']'
    items: list[tuple[int, int, Any]] = field(default_factory=list)  # (start, end, value)


class _Walker:
    """Navigates the plan's objects down to the resource arrays; every other value is skipped
    with the C decoder."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.arrays: list[_Array] = []
        self.top: dict[str, Any] = {}

    def ws(self, i: int) -> int:
        return _WS.match(self.text, i).end()  # type: ignore[union-attr]

    def expect(self, i: int, ch: str) -> int:
        i = self.ws(i)
        if self.text[i:i + 1] != ch:
            raise PlanError(f"invalid JSON at offset {i}: expected {ch!r}")
        return i + 1

    def skip_value(self, i: int) -> tuple[Any, int]:
        try:
            return _DECODER.raw_decode(self.text, self.ws(i))
        except json.JSONDecodeError as exc:
            raise PlanError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None

    def obj(self, i: int, visit: Callable[[str, int], int | None]) -> int:
        """Walk an object at i; visit(key, value_offset) returns the end offset of the value
        when it handled it, or None to skip it.  Returns the offset after '}'."""
        i = self.ws(i)
        if self.text[i:i + 1] != "{":
            line = self.text.count("\n", 0, i) + 1
            raise PlanError(f"is not a Terraform plan: a JSON object was expected at line {line}")
        i += 1
        i = self.ws(i)
        if self.text[i:i + 1] == "}":
            return i + 1
        while True:
            key, i = self.skip_value(i)
            if not isinstance(key, str):
                raise PlanError(f"invalid JSON at offset {i}: an object key must be a string")
            i = self.ws(self.expect(i, ":"))
            end = visit(key, i)
            i = self.skip_value(i)[1] if end is None else end
            i = self.ws(i)
            c = self.text[i:i + 1]
            if c == "}":
                return i + 1
            if c != ",":
                raise PlanError(f"invalid JSON at offset {i}: expected ',' or '}}'")
            i += 1

    def array(self, i: int, on_item: Callable[[int], int] | None = None) -> int:
        """Record the elements of a resource array (or hand each to on_item)."""
        i = self.ws(i)
        if self.text[i:i + 1] != "[":
            return self.skip_value(i)[1]
        arr = _Array(start=i, end=i)
        i = self.ws(i + 1)
        if self.text[i:i + 1] != "]":
            while True:
                i = self.ws(i)
                if on_item is None:
                    value, end = self.skip_value(i)
                    arr.items.append((i, end, value))
                else:
                    end = on_item(i)
                i = self.ws(end)
                c = self.text[i:i + 1]
                if c == "]":
                    break
                if c != ",":
                    raise PlanError(f"invalid JSON at offset {i}: expected ',' or ']'")
                i += 1
        arr.end = i + 1
        if on_item is None:
            self.arrays.append(arr)
        return arr.end

    # --- the plan's shape
    def module(self, i: int) -> int:  # planned_values.root_module / child_modules[*]
        def visit(key: str, j: int) -> int | None:
            if key == "resources":
                return self.array(j)
            if key == "child_modules":
                return self.array(j, on_item=self.module)
            return None
        return self.obj(i, visit) if self.text[self.ws(i):self.ws(i) + 1] == "{" else self.skip_value(i)[1]

    def config_module(self, i: int) -> int:  # configuration.root_module / module_calls.*.module
        def calls(key: str, j: int) -> int | None:
            return self.obj(j, lambda k, m: self.config_module(m) if k == "module" else None)

        def visit(key: str, j: int) -> int | None:
            if key == "resources":
                return self.array(j)
            if key == "module_calls" and self.text[j:j + 1] == "{":
                return self.obj(j, calls)
            return None
        return self.obj(i, visit) if self.text[i:i + 1] == "{" else self.skip_value(i)[1]

    def values(self, i: int) -> int:  # planned_values / prior_state.values
        return self.obj(i, lambda k, j: self.module(j) if k == "root_module" else None)

    def walk(self) -> None:
        def visit(key: str, j: int) -> int | None:
            if key in ("planned_values",):
                self.top[key] = True
                return self.values(j)
            if key == "prior_state":
                self.top[key] = True
                return self.obj(j, lambda k, m: self.values(m) if k == "values" else None)
            if key in ("resource_changes", "resource_drift"):
                self.top[key] = True
                return self.array(j)
            if key == "configuration":
                self.top[key] = True
                return self.obj(j, lambda k, m: self.config_module(m) if k == "root_module" else None)
            if key == "values":  # a state
                value, end = self.skip_value(j)
                self.top[key] = value
                return end
            value, end = self.skip_value(j)
            self.top[key] = value if not isinstance(value, (dict, list)) else True
            return end

        i = self.ws(0)
        if self.text.startswith("\ufeff", i):
            i += 1
        if self.text[self.ws(i):self.ws(i) + 1] != "{":
            raise PlanError("JSON is not a Terraform plan (the top level is not an object)")
        end = self.obj(i, visit)
        if self.ws(end) != len(self.text):
            raise PlanError(f"invalid JSON at offset {self.ws(end)}: extra data after the plan")


def _kind(value: Any) -> tuple[str, str, str] | None:
    """(mode, type, name) of a resource element, or None when it is not one."""
    if not isinstance(value, dict):
        return None
    rtype, name = value.get("type"), value.get("name")
    if not isinstance(rtype, str) or not isinstance(name, str):
        return None
    return str(value.get("mode", "managed")), rtype, name


def _references(value: Any, out: set[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "references" and isinstance(v, list):
                for ref in v:
                    if isinstance(ref, str):
                        for m in _REF.finditer(ref):
                            out.add((m.group(1), m.group(2)))
            else:
                _references(v, out)
    elif isinstance(value, list):
        for v in value:
            _references(v, out)


def keep_set(arrays: list[_Array], relevant: frozenset[str]) -> set[tuple[str, str]]:
    """(type, name) of the managed resources to keep: relevant types, then everything a kept
    configuration block references, transitively."""
    configs: dict[tuple[str, str], list[Any]] = {}
    types: set[tuple[str, str]] = set()
    for arr in arrays:
        for _s, _e, value in arr.items:
            kind = _kind(value)
            if kind is None or kind[0] == "data":
                if kind is not None and "expressions" in value:  # a data source's references count
                    configs.setdefault(("data." + kind[1], kind[2]), []).append(value)
                continue
            types.add((kind[1], kind[2]))
            if "expressions" in value:
                configs.setdefault((kind[1], kind[2]), []).append(value)
    kept = {t for t in types if t[0] in relevant}
    pending = [v for key, vs in configs.items() if key[0] in relevant or key[0].startswith("data.") for v in vs]
    while pending:
        refs: set[tuple[str, str]] = set()
        _references(pending.pop(), refs)
        for ref in refs:
            if ref in types and ref not in kept:
                kept.add(ref)
                pending.extend(configs.get(ref, []))
    return kept


def _newlines(text: str, start: int, end: int) -> str:
    return "\n" * text.count("\n", start, end)


def filter_plan_text(text: str, relevant: frozenset[str] | None) -> tuple[str, dict[str, Any], int, int]:
    """(filtered text, top-level scalars/markers, resources seen, resources kept)."""
    walker = _Walker(text)
    walker.walk()
    if relevant is None:
        n = sum(len(a.items) for a in walker.arrays)
        return text, walker.top, n, n
    kept = keep_set(walker.arrays, relevant)
    pieces: list[str] = []
    pos = 0
    seen = kept_n = 0
    for arr in sorted(walker.arrays, key=lambda a: a.start):
        keep_items = []
        for s, e, value in arr.items:
            kind = _kind(value)
            seen += 1
            if kind is None or kind[0] == "data" or (kind[1], kind[2]) in kept:
                keep_items.append((s, e))
        kept_n += len(keep_items)
        if len(keep_items) == len(arr.items):
            continue
        pieces.append(text[pos:arr.start + 1])
        cursor = arr.start + 1
        for n, (s, e) in enumerate(keep_items):
            pieces.append(("," if n else "") + _newlines(text, cursor, s))
            pieces.append(text[s:e])
            cursor = e
        pieces.append(_newlines(text, cursor, arr.end - 1) + "]")
        pos = arr.end
    pieces.append(text[pos:])
    return "".join(pieces), walker.top, seen, kept_n


def validate(top: dict[str, Any]) -> None:
    """Raise PlanError unless `top` (the plan's top-level keys) is a plan Checkov can judge."""
    version = str(top.get("format_version", "") or "")
    if not version or version.split(".")[0] not in SUPPORTED_PLAN_MAJOR:
        raise PlanError(f"unsupported plan format_version {version or '(missing)'!r} (mfaguard reads 0.x and 1.x)")
    if "planned_values" in top:
        if not top.get("terraform_version"):
            raise PlanError("plan JSON has no terraform_version (Checkov skips such a file and would check nothing); "
                            "give the unedited output of `terraform show -json PLANFILE`")
        return
    if "resource_changes" in top:
        raise PlanError("plan JSON has resource_changes but no planned_values (Checkov reads the resources "
                        "from planned_values); give the complete output of `terraform show -json PLANFILE`")
    if "values" in top or "prior_state" in top:
        values = top.get("values")
        empty = not isinstance(values, dict) or not _has_resources(values.get("root_module"))
        what = "a Terraform state with no resources" if empty else "a Terraform state"
        raise PlanError(f"is {what} (`terraform show -json` without a plan): Checkov reads no resources from a "
                        "state; scan a plan, or compare state with the live account using `mfaguard drift --plan`")
    raise PlanError("plan JSON has no planned_values or resource_changes")


def _has_resources(module: Any) -> bool:
    if not isinstance(module, dict):
        return False
    if module.get("resources"):
        return True
    return any(_has_resources(c) for c in module.get("child_modules") or [])


def looks_like_terraform(top: dict[str, Any]) -> bool:
    return "format_version" in top or "terraform_version" in top


def run_plan(path: str, relevant: frozenset[str] | None, ext_dirs: list[str],
             run_plans: Callable[[list[str], list[str]], Any], *, explicit: bool = True,
             unknown: list[Any] | None = None, attach: Callable[[list[Any]], None] | None = None,
             ) -> tuple[Any | None, dict[str, str], int, int]:
    """Validate, prefilter and scan one plan: (Checkov report or None, {path: problem}, seen, kept).

    `unknown` is the list the UNKNOWN records of this run are captured into; `attach` adds
    mfaguard's messages to records while they still name the temporary copy."""
    absolute = os.path.abspath(path)
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
        filtered, top, seen, kept = filter_plan_text(text, relevant)
        if not explicit and not looks_like_terraform(top):
            return None, {}, 0, 0
        if not looks_like_terraform(top):
            raise PlanError("JSON is not a Terraform plan (no format_version/planned_values); "
                            "give the output of `terraform show -json PLANFILE`")
        validate(top)
    except PlanError as exc:
        return None, {absolute: str(exc)}, 0, 0
    except UnicodeDecodeError:
        return None, {absolute: "is not UTF-8 text"}, 0, 0
    except RecursionError:
        return None, {absolute: "JSON is nested too deeply to read"}, 0, 0
    except OSError as exc:
        return None, {absolute: f"cannot read: {exc.strerror or exc}"}, 0, 0
    del text
    tmp = tempfile.mkdtemp(prefix="mfaguard-plan-")
    try:
        copy = os.path.join(tmp, os.path.basename(path) if path.endswith(".json") else os.path.basename(path) + ".json")
        with open(copy, "w", encoding="utf-8") as fh:
            fh.write(filtered)
        del filtered
        report = run_plans([copy], ext_dirs)
        records = report.get_all_records() + list(unknown or [])
        if attach is not None:
            attach(records)
        _point_back(records, report, copy, absolute)
        return report, {}, seen, kept
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _point_back(records: list[Any], report: Any, copy: str, original: str) -> None:
    copy_real = os.path.realpath(copy)
    for record in records:
        if os.path.realpath(str(record.file_abs_path)) == copy_real:
            record.file_abs_path = original
    report.parsing_errors = [original if os.path.realpath(p) == copy_real else p for p in report.parsing_errors]
