"""The scan engine: Checkov's terraform (HCL) and terraform_plan runners, in process,
with only mfaguard's checks, offline.

    scan(paths) -> ScanResult      reports (Checkov Report objects, one per framework that
                                   ran), the UNKNOWN records Checkov's Report drops, and the
                                   input errors (one InputError per bad file)

It gives the same verdicts as
``checkov -d PATH --external-checks-dir checks --external-checks-dir policies`` for
mfaguard's check IDs (tests/test_scan_equivalence.py proves it on a mixed stack), faster:

* only the check IDs of mfaguard.catalogue.CHECKS run;
* the HCL parser is a TFParser subclass that blanks the resource blocks no MFA check can
  depend on before hcl2 parses them (mfaguard.scan.prefilter), so neither the parse nor
  Checkov's graph pays for 2,000 unrelated buckets; line numbers are unchanged;
* no module downloads, no Bridgecrew platform, no other framework is imported.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

os.environ.setdefault("CHECKOV_RUN_SCA_PACKAGE_SCAN_V2", "false")
os.environ.setdefault("BC_SKIP_MAPPING", "TRUE")
# Checkov gives up on an .tf file whose hcl2 parse takes longer than this (default 10 s, which a
# 150 KB file can exceed on a loaded CI machine) and then silently skips it.  mfaguard reports
# such a file as an input error; 60 s makes that rare.  Files over inputs.MAX_HCL_BYTES are refused.
os.environ.setdefault("HCL_PARSE_TIMEOUT_SEC", "60")


def _skip_builtin_checks() -> None:
    """Keep Checkov from importing its ~1,000 built-in Terraform checks (about 1.2 s of a
    pre-commit run; only mfaguard's check IDs run anyway).

    checkov/terraform/checks/{resource,data,provider,module}/__init__.py each star-import
    their provider packages (``from checkov.terraform.checks.resource.aws import *``).  An
    empty package object with the real ``__path__`` is put in sys.modules for each of those,
    so the star imports find nothing while any explicit submodule import still works.
    Set MFAGUARD_BUILTIN_CHECKS=1 to import them as usual.
    """
    import importlib.util
    import sys
    import types

    if os.environ.get("MFAGUARD_BUILTIN_CHECKS") == "1" or "checkov.terraform" in sys.modules:
        return
    spec = importlib.util.find_spec("checkov")
    if spec is None or not spec.submodule_search_locations:
        return
    base = os.path.join(list(spec.submodule_search_locations)[0], "terraform", "checks")
    star = re.compile(r"^from (checkov\.terraform\.checks\.[\w.]+) import \*", re.M)
    for kind in ("resource", "data", "provider", "module"):
        try:
            with open(os.path.join(base, kind, "__init__.py"), encoding="utf-8") as fh:
                names = star.findall(fh.read())
        except OSError:
            continue
        for name in names:
            folder = os.path.join(base, *name.split(".")[3:])
            if name in sys.modules or not os.path.isfile(os.path.join(folder, "__init__.py")):
                continue
            module = types.ModuleType(name)
            module.__path__ = [folder]
            module.__package__ = name
            module.__file__ = os.path.join(folder, "__init__.py")
            sys.modules[name] = module


_skip_builtin_checks()

import hcl2  # noqa: E402  (bc-python-hcl2, as Checkov ships it)
from checkov.common.bridgecrew.check_type import CheckType  # noqa: E402
from checkov.common.models.enums import CheckResult  # noqa: E402
from checkov.common.output.report import Report, merge_reports  # noqa: E402
from checkov.runner_filter import RunnerFilter  # noqa: E402
from checkov.terraform import clean_bad_definitions, validate_malformed_definitions  # noqa: E402
from checkov.terraform.modules.module_utils import clean_parser_types, serialize_definitions  # noqa: E402
from checkov.terraform.parser_utils import load_or_die_quietly  # noqa: E402
from checkov.terraform.tf_parser import TFParser  # noqa: E402

from mfaguard import paths as mfaguard_paths  # noqa: E402
from mfaguard.catalogue import CHECKS  # noqa: E402
from mfaguard.checks_support import NOT_APPLICABLE  # noqa: E402
from mfaguard.errors import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, InputError  # noqa: E402
from mfaguard.scan import inputs as scan_inputs  # noqa: E402
from mfaguard.scan.prefilter import FilterStats, filter_module, relevant_resource_types  # noqa: E402

for _name in ("checkov", "hcl2", "lark"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


@dataclass
class ScanResult:
    reports: list[Any] = field(default_factory=list)  # checkov Report, by check_type
    # checkov Records with result UNKNOWN, by check_type ("terraform", "terraform_plan")
    unknown_by_type: dict[str, list[Any]] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def unknown(self) -> list[Any]:
        return [r for recs in self.unknown_by_type.values() for r in recs]

    @property
    def undecided(self) -> list[Any]:
        """UNKNOWN records that mean "cannot decide" (not "not applicable")."""
        return [r for r in self.unknown if not str((r.details or [""])[0]).startswith(NOT_APPLICABLE)]

    @property
    def passed(self) -> list[Any]:
        return [r for rep in self.reports for r in rep.passed_checks]

    @property
    def failed(self) -> list[Any]:
        return [r for rep in self.reports for r in rep.failed_checks]

    @property
    def skipped(self) -> list[Any]:
        return [r for rep in self.reports for r in rep.skipped_checks]

    def exit_code(self, unknown_fails: bool = False) -> int:
        """2 when any input was bad (findings still reported), else 1 on a failed check
        (or, with unknown_fails, an UNKNOWN one), else 0."""
        if self.errors:
            return EXIT_BAD_INPUT
        if self.failed or (unknown_fails and self.undecided):
            return EXIT_FINDINGS
        return EXIT_OK


@contextlib.contextmanager
def capture_unknown() -> Iterator[list]:
    """Collect the UNKNOWN records Checkov's Report.add_record silently drops."""
    captured: list = []
    original = Report.add_record

    def add_record(self: Report, record: Any) -> None:
        if record.check_result.get("result") == CheckResult.UNKNOWN:
            captured.append(record)
        original(self, record)

    Report.add_record = add_record  # type: ignore[method-assign]
    try:
        yield captured
    finally:
        Report.add_record = original  # type: ignore[method-assign]


def describe_parse_error(exc: BaseException) -> str:
    """One line for an hcl2/lark/json exception."""
    if "exceeded maximum timeout" in str(exc):
        return (f"HCL parsing took longer than {os.environ.get('HCL_PARSE_TIMEOUT_SEC')} s and was abandoned "
                "(raise HCL_PARSE_TIMEOUT_SEC, or split the file)")
    line, col = getattr(exc, "line", None), getattr(exc, "column", None)
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    token = getattr(exc, "token", None)
    if token is not None and line is not None:
        kind, value = str(getattr(token, "type", "")), str(token)
        if kind == "$END" or not value:
            shown = "end of file"
        elif "NEW_LINE" in kind or value.strip() == "":
            shown = "end of line"
        else:
            shown = repr(value[:40])
        return f"HCL syntax error at line {line}, column {col}: unexpected {shown}"
    first = re.sub(r"\s*\(line \d+ col \d+\)$", "", first)
    where = f" at line {line}, column {col}" if line is not None and line != -1 else ""
    return f"HCL syntax error{where}: {first}"[:300]


class FilteringTFParser(TFParser):
    """Checkov's TFParser, but each folder's .tf texts go through the prefilter first."""

    def __init__(self, relevant: frozenset[str] | None, skip: set[str]) -> None:
        super().__init__()
        self.relevant = relevant
        self.skip = {os.path.abspath(p) for p in skip}
        self.errors: dict[str, BaseException] = {}
        self.parsed: dict[str, Any] = {}  # abs path -> parsed definitions (files mode)
        self.stats = FilterStats()

    def _add_stats(self, s: FilterStats) -> None:
        self.stats = FilterStats(self.stats.resources + s.resources, self.stats.kept + s.kept,
                                 self.stats.files_unchanged + s.files_unchanged)

    def prefilter(self, files: list[str]) -> dict[str, str]:
        """Filtered texts of `files` (one module folder); unreadable files are recorded."""
        texts: dict[str, str] = {}
        for f in files:
            if not f.endswith(".tf"):
                continue
            try:
                with open(f, encoding="utf-8-sig") as fh:
                    texts[f] = fh.read()
            except (OSError, UnicodeDecodeError):
                continue  # load_or_die_quietly reports it
        filtered, stats = filter_module(texts, self.relevant)
        self._add_stats(stats)
        return {f: t for f, t in filtered.items() if t is not texts[f]}

    def _parse_text(self, file: str, text: str, parsing_errors: dict[str, Exception]) -> Any:
        try:
            raw = hcl2.loads(text)
            return clean_bad_definitions(validate_malformed_definitions(raw))
        except Exception:  # the blanking broke something: parse the original instead
            return load_or_die_quietly(file, parsing_errors)

    def _load_one(self, file: str, changed: dict[str, str], parsing_errors: dict[str, Exception]) -> Any:
        if os.path.abspath(file) in self.skip:
            return None
        if file in changed:
            return self._parse_text(file, changed[file], parsing_errors)
        return load_or_die_quietly(file, parsing_errors)

    def _load_files(self, files: list[str]) -> list[tuple[str, Any]]:
        files_to_data: list[tuple[str, Any]] = []
        to_parse = []
        for file in files:
            if file in self.loaded_files_map:  # preloaded, failures included: never parse twice
                files_to_data.append((file, self.loaded_files_map[file]))
                if file in self.errors:
                    self.out_parsing_errors[file] = self.errors[file]  # type: ignore[assignment]
            else:
                to_parse.append(file)
        changed = self.prefilter(to_parse)
        for file in to_parse:
            errors: dict[str, Exception] = {}
            data = self._load_one(file, changed, errors)
            self.out_parsing_errors.update(errors)
            self.errors.update(errors)
            files_to_data.append((file, data))
            if file not in self.loaded_files_map:
                self.loaded_files_map[file] = data
        return files_to_data

    def preload(self, directory: str) -> None:
        """Parse (prefiltered) every .tf file under `directory` into loaded_files_map, walking it
        as Checkov's module finder does, so neither the finder nor the folder loader parses
        an unfiltered text."""
        by_dir: dict[str, list[str]] = {}
        for root, _dirs, names in os.walk(directory):
            if root.startswith(os.path.join(directory, ".terraform", "modules")):
                continue
            files = [os.path.join(root, n) for n in sorted(names) if n.endswith(".tf")]
            if files:
                by_dir[root] = files
        for files in by_dir.values():
            changed = self.prefilter(files)
            for file in files:
                errors: dict[str, Exception] = {}
                data = self._load_one(file, changed, errors)
                self.errors.update(errors)
                self.loaded_files_map[file] = data

    def parse_directory(self, directory: str, *args: Any, **kwargs: Any) -> Any:
        self.preload(directory)
        return super().parse_directory(directory, *args, **kwargs)

    def parse_file(self, file: str, parsing_errors: dict[str, Exception]) -> dict[str, Any] | None:
        if not file.endswith((".tf", ".tf.json", ".hcl")):
            return None
        errors: dict[str, Exception] = {}
        if file in self.parsed:
            result = self.parsed[file]
            if file in self.errors:
                errors[file] = self.errors[file]  # type: ignore[assignment]
        else:
            result = self._load_one(file, {}, errors)
        parsing_errors.update(errors)
        self.errors.update(errors)
        if result:
            return clean_parser_types(serialize_definitions(result))
        return None


_ACTIVE: list[FilteringTFParser] = []


def _cached_load(file: str | os.PathLike, parsing_errors: dict[str, Exception], clean_definitions: bool = True) -> Any:
    """Stands in for load_or_die_quietly in Checkov's module finder during a scan."""
    path = os.fspath(file)
    for parser in _ACTIVE:
        if path in parser.loaded_files_map:
            if path in parser.errors:
                parsing_errors[path] = parser.errors[path]  # type: ignore[assignment]
            return parser.loaded_files_map[path]
    return load_or_die_quietly(file, parsing_errors, clean_definitions)


@contextlib.contextmanager
def _active(parser: FilteringTFParser) -> Iterator[None]:
    from checkov.terraform.module_loading import module_finder

    _ACTIVE.append(parser)
    original = module_finder.load_or_die_quietly
    module_finder.load_or_die_quietly = _cached_load  # type: ignore[assignment]
    try:
        yield
    finally:
        module_finder.load_or_die_quietly = original  # type: ignore[assignment]
        _ACTIVE.remove(parser)


def check_ids() -> list[str]:
    return sorted(CHECKS)


def _runner_filter(framework: str) -> RunnerFilter:
    return RunnerFilter(
        framework=[framework],
        checks=check_ids(),
        show_progress_bar=False,
        download_external_modules=False,
        run_image_referencer=False,
    )


def _first_report(result: Any) -> Any:
    return result[0] if isinstance(result, list) else result


def _tf_runner(parser: FilteringTFParser) -> Any:
    from checkov.terraform.runner import Runner

    runner = Runner(parser=parser)
    runner.graph_manager.parser = parser
    return runner


def scan(
    paths: list[str],
    *,
    prefilter: bool = True,
    external_checks_dirs: list[str] | None = None,
) -> ScanResult:
    """Scan folders, .tf files and plan JSON; never raises for bad input (see .errors)."""
    ext_dirs = external_checks_dirs if external_checks_dirs is not None else mfaguard_paths.external_checks_dirs()
    found = scan_inputs.collect(list(paths))
    result = ScanResult(errors=list(found.errors))
    relevant = relevant_resource_types(ext_dirs) if prefilter else None
    parser_errors: dict[str, BaseException] = {}
    unparsed: set[str] = set()
    hcl_reports: list[Any] = []
    plan_reports: list[Any] = []
    resources = kept = 0

    hcl_unknown: list[Any] = []
    plan_unknown: list[Any] = []
    with capture_unknown() as hcl_unknown:
        for folder in found.hcl_dirs:
            parser = FilteringTFParser(relevant, found.skip)
            with _active(parser):
                report = _first_report(_tf_runner(parser).run(
                    root_folder=folder, external_checks_dir=ext_dirs, runner_filter=_runner_filter("terraform")))
            hcl_reports.append(report)
            parser_errors.update(parser.errors)
            unparsed.update(report.parsing_errors)
            resources, kept = resources + parser.stats.resources, kept + parser.stats.kept
        if found.hcl_files:
            parser = FilteringTFParser(relevant, found.skip)
            by_dir: dict[str, list[str]] = {}
            for f in found.hcl_files:
                by_dir.setdefault(os.path.dirname(os.path.abspath(f)), []).append(os.path.abspath(f))
            for group in by_dir.values():  # parsed here, in this process: Checkov may fork for parse_file
                changed = parser.prefilter(group)
                for f in group:
                    errors: dict[str, Exception] = {}
                    parser.parsed[f] = parser._load_one(f, changed, errors)
                    parser.errors.update(errors)
            report = _first_report(_tf_runner(parser).run(
                root_folder=None, files=[os.path.abspath(f) for f in found.hcl_files],
                external_checks_dir=ext_dirs, runner_filter=_runner_filter("terraform")))
            hcl_reports.append(report)
            parser_errors.update(parser.errors)
            unparsed.update(report.parsing_errors)
            resources, kept = resources + parser.stats.resources, kept + parser.stats.kept
    with capture_unknown() as plan_unknown:
        named = [f for f in found.plan_files if f.endswith(".json")]
        unnamed = [f for f in found.plan_files if not f.endswith(".json")]
        if named:
            report = _run_plans([os.path.abspath(f) for f in named], ext_dirs)
            plan_reports.append(report)
            unparsed.update(report.parsing_errors)
        if unnamed:
            report = _run_plans_renamed(unnamed, ext_dirs, plan_unknown)
            plan_reports.append(report)
            unparsed.update(report.parsing_errors)
    result.unknown_by_type = {CheckType.TERRAFORM: hcl_unknown, CheckType.TERRAFORM_PLAN: plan_unknown}

    for reports, check_type in ((hcl_reports, CheckType.TERRAFORM), (plan_reports, CheckType.TERRAFORM_PLAN)):
        if not reports:
            continue
        merged = Report(check_type)
        for rep in reports:
            merge_reports(merged, rep)
        result.reports.append(merged)

    _attach_details(result)
    reported = {os.path.abspath(e.path) for e in result.errors if e.path}
    for path in sorted(set(parser_errors) | unparsed):
        absolute = os.path.abspath(path)
        if absolute in reported:
            continue
        reported.add(absolute)
        exc = parser_errors.get(path)
        problem = describe_parse_error(exc) if exc is not None else "could not be parsed"
        result.errors.append(InputError(_display(path), problem))
    result.stats = {"resources_seen": resources, "resources_kept": kept}
    return result


def _run_plans(files: list[str], ext_dirs: list[str]) -> Any:
    from checkov.terraform.plan_runner import Runner as PlanRunner

    return _first_report(PlanRunner().run(
        root_folder=None, files=files, external_checks_dir=ext_dirs, runner_filter=_runner_filter("terraform_plan")))


def _run_plans_renamed(files: list[str], ext_dirs: list[str], unknown: list[Any]) -> Any:
    """Checkov's plan runner skips files whose name does not end in .json: scan a copy
    named *.json, then point every record back at the file the user gave."""
    import shutil
    import tempfile

    tmp = tempfile.mkdtemp(prefix="mfaguard-plan-")
    try:
        back: dict[str, str] = {}
        copies = []
        for i, f in enumerate(files):
            copy = os.path.join(tmp, f"{i}-{os.path.basename(f)}.json")
            shutil.copyfile(f, copy)
            back[os.path.realpath(copy)] = os.path.abspath(f)
            copies.append(copy)
        start = len(unknown)
        report = _run_plans(copies, ext_dirs)
        _attach_record_details(report.get_all_records() + unknown[start:])  # keyed by the copy's path
        for record in report.get_all_records() + unknown[start:]:
            original = back.get(os.path.realpath(str(record.file_abs_path)))
            if original:
                record.file_abs_path = original
                record.file_path = record.repo_file_path = "/" + os.path.basename(original)
        report.parsing_errors = [back.get(os.path.realpath(p), p) for p in report.parsing_errors]
        return report
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _attach_details(result: ScanResult) -> None:
    _attach_record_details(result.passed + result.failed + result.skipped + result.unknown)


def _attach_record_details(records: list[Any]) -> None:
    """Graph checks cannot hand Checkov their per-resource message: mfaguard.iam_graph keeps
    it, keyed by record (file and address); copy it into record.details where there is none."""
    try:
        from mfaguard.iam_graph import details_for
    except ImportError:  # pragma: no cover - the IAM checks are not installed
        return
    for record in records:
        if not record.details:
            found = details_for(record)
            if found:
                record.details = found


def _display(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel
