"""`mfaguard scan`: argument parsing and the run (Checkov is imported only when scanning)."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from mfaguard.scan.roots import is_config_file

FORMATS = ("cli", "json", "sarif", "junitxml", "markdown", "github", "rdjsonl", "gitlab_sast")

EPILOG = """\
exit codes: 0 no failed check, 1 a check failed (or, with --unknown-fails, could not
decide), 2 bad input or usage (every bad file is named on stderr, one line each; the other
files are still scanned and their findings printed).

--modules-of turns file names (as pre-commit passes them) into the Terraform module
folders that contain them, because graph checks need whole modules."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "scan",
        help="scan Terraform/OpenTofu folders (each root module alone), configuration files or plan JSON",
        description="Run mfaguard's Checkov checks (only those, offline) over folders (each root module "
                    "judged on its own), .tf/.tf.json/.tofu/.tofu.json files and `terraform show -json` "
                    "plans (detected by content).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="folder, configuration file or plan JSON")
    p.add_argument("--format", choices=FORMATS, default="cli", action=_Once,
                   help="report format (default: cli); give it once")
    p.add_argument("--max-bytes", type=_positive_int, metavar="N",
                   help="markdown: keep the report under N bytes (default: GitHub's 1 MiB step-summary limit; "
                        "65000 for a PR comment), leaving out the least severe findings with a note")
    p.add_argument("--output", metavar="FILE", help="write the report to FILE (a one-line summary still goes to stderr)")
    p.add_argument("--also", action="append", default=[], type=_also, metavar="FORMAT=FILE",
                   help="also write the same scan's report in FORMAT to FILE (repeatable; e.g. the Action "
                        "prints --format github and writes --also markdown=summary.md --also sarif=out.sarif)")
    p.add_argument("--unknown-fails", action="store_true",
                   help="exit 1 when a check could not decide (UNKNOWN), not only when one failed")
    p.add_argument("--quiet", action="store_true", help="cli format: list failed and unknown checks only, without code excerpts")
    p.add_argument("--config", metavar="FILE",
                   help="settings file (default: the nearest .mfaguard.yaml above the scanned paths)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--baseline", metavar="FILE",
                       help="report only findings not in FILE (keyed by check, file and resource); "
                            "entries that match nothing any more are listed")
    group.add_argument("--create-baseline", metavar="FILE",
                       help="record today's findings in FILE (for --baseline) and exit 0")
    p.add_argument("--modules-of", action="store_true",
                   help="treat each PATH as a changed file and scan the folder (module) it is in")
    p.add_argument("--no-prefilter", action="store_true",
                   help="parse every resource block (slower; for comparing with plain Checkov)")
    p.set_defaults(func=run)


class _Once(argparse.Action):
    """An option that may be given once: a second --format is a usage error, never a
    silent override of the first."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        if getattr(namespace, f"_{self.dest}_given", False):
            parser.error(f"{option_string} given twice ({getattr(namespace, self.dest)!r} and {values!r}); "
                         "give it once (run the scan twice for two reports)")
        setattr(namespace, f"_{self.dest}_given", True)
        setattr(namespace, self.dest, values)


def _also(text: str) -> tuple[str, str]:
    fmt, sep, path = text.partition("=")
    if not sep or not path:
        raise argparse.ArgumentTypeError(f"expected FORMAT=FILE, got {text!r}")
    if fmt not in FORMATS:
        raise argparse.ArgumentTypeError(f"unknown format {fmt!r} in {text!r} (choose from {', '.join(FORMATS)})")
    return fmt, path


def _outputs_problem(args: argparse.Namespace) -> str | None:
    """Why the reports cannot be written (checked before the scan runs): `FILE: why`, or None."""
    files = ([args.output] if args.output else []) + [path for _, path in args.also]
    seen: set[str] = set()
    for path in files:
        key = os.path.realpath(path)
        if key in seen:
            return f"{path}: given for two reports; give each report its own file"
        seen.add(key)
        problem = output_problem(path)
        if problem:
            return f"{path}: {problem}"
    return None


def output_problem(path: str) -> str | None:
    """Why the report cannot be written to `path` (checked before the scan runs), or None."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        return "is a folder; --output needs a file name"
    if not os.path.isdir(folder):
        return f"cannot write the report: the folder {os.path.dirname(path) or '.'} does not exist"
    if not os.access(folder, os.W_OK):
        return f"cannot write the report: the folder {os.path.dirname(path) or '.'} is not writable"
    return None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of bytes, got {text!r}") from None
    if value < 1024:
        raise argparse.ArgumentTypeError(f"{value} is too small: at least 1024 bytes")
    return value


def module_folders(paths: list[str]) -> list[str]:
    """The module folders of changed files: configuration (.tf, .tofu, .tf.json, .tofu.json),
    .tfvars and .hcl files give their folder;
    plan JSON (and any other file) is kept as a file; folders stay folders."""
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            target = path
        elif path.endswith((".tf", ".tf.json", ".tofu", ".tofu.json", ".tfvars", ".tfvars.json", ".hcl")):
            target = os.path.dirname(path) or "."
            try:
                if not any(is_config_file(n) for n in os.listdir(target)):
                    continue  # e.g. a folder of .tfvars only: nothing for Checkov to scan
            except OSError:
                pass  # scan reports the folder
        else:
            target = path
        if target not in out:
            out.append(target)
    # a folder scan is recursive: drop folders inside another selected folder
    folders = [os.path.abspath(p) for p in out if os.path.isdir(p)]

    def inside_another(p: str) -> bool:
        a = os.path.abspath(p)
        return os.path.isdir(p) and any(a != f and a.startswith(os.path.join(f, "")) for f in folders)

    return [p for p in out if not inside_another(p)]


def run(args: argparse.Namespace) -> int:
    problem = _outputs_problem(args)
    if problem:
        print(f"mfaguard: error: {problem}", file=sys.stderr)
        return 2
    paths = module_folders(args.paths) if args.modules_of else list(args.paths)
    if not paths:
        print("mfaguard scan: no Terraform module among the given files; nothing to scan", file=sys.stderr)
        return 0
    from mfaguard.adopt import config as adopt_config

    cfg = adopt_config.for_scan(paths, args.config)
    unknown_fails = args.unknown_fails or bool(cfg.unknown_fails)
    adopt_config.before_scan(cfg)
    import contextlib

    from mfaguard.report.coverage import capture

    wanted = [(args.format, args.output)] + list(args.also)  # one scan, every report from it
    picture = capture() if any(fmt == "markdown" for fmt, _ in wanted) else contextlib.nullcontext([])
    try:
        from mfaguard.scan import engine, render

        engine.exit_on_sigterm()
        with picture as iam_indexes:  # the coverage picture of the markdown report
            result = engine.scan(paths, prefilter=not args.no_prefilter)
    except (OSError, RuntimeError, ImportError) as exc:
        # the environment, not an input: an unreadable $HOME or cache, a deleted working folder, ...
        print(f"mfaguard: error: cannot run the scan: {_one_line(exc)}", file=sys.stderr)
        return 2
    notes = adopt_config.after_scan(result, cfg) + _baseline(result, args, cfg)
    for fmt, path in wanted:
        text = _render(result, fmt, args, unknown_fails=unknown_fails, context="scanned: " + ", ".join(paths),
                       notes=notes, iam_indexes=iam_indexes)
        if not _emit(text, path, strip=fmt == "cli"):
            return 2
    for note in notes:
        print(f"mfaguard: note: {note}", file=sys.stderr)
    for err in result.errors:
        print(f"mfaguard: error: {err}", file=sys.stderr)
    if args.output or args.also:
        print(render.summary_line(result), file=sys.stderr)
    if args.create_baseline and not result.errors:
        return 0
    return result.exit_code(unknown_fails=unknown_fails)


def _render(result: Any, fmt: str, args: argparse.Namespace, **kw: Any) -> str:
    from mfaguard.scan import render

    if fmt == "cli":
        return render.render_cli(result, quiet=args.quiet)
    if fmt in ("markdown", "github", "rdjsonl", "gitlab_sast"):
        from mfaguard.report.formats import render_scan

        return render_scan(result, fmt, max_bytes=args.max_bytes, **kw)
    return render.render(result, fmt)


def _emit(text: str, path: str | None, strip: bool) -> bool:
    """Write one report to `path` (`strip`: without the cli's ANSI colours) or stdout; False when
    the file cannot be written."""
    from mfaguard.scan import render

    if path:
        try:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(render.strip_ansi(text) if strip else text)
        except OSError as exc:
            print(f"mfaguard: error: {path}: cannot write the report: {exc.strerror or exc}", file=sys.stderr)
            return False
        return True
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `mfaguard scan ... | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return True


def _baseline(result: Any, args: argparse.Namespace, cfg: Any) -> list[str]:
    """--create-baseline writes today's findings; --baseline removes the known ones from `result`."""
    from mfaguard.adopt import baseline

    if args.create_baseline:
        n = baseline.create(result, args.create_baseline)
        print(f"mfaguard: baseline {args.create_baseline} written: {n} finding(s) accepted", file=sys.stderr)
        return []
    if not args.baseline:
        return []
    outcome = baseline.apply(result, args.baseline, cfg.selected())
    return ([f"baseline {args.baseline}: {outcome.absorbed} known finding(s) not reported"]
            + [f"baseline entry no longer matches (fixed or moved; remove it): {e.describe()}" for e in outcome.stale])


def _one_line(exc: BaseException) -> str:
    text = f"{exc.strerror}: {exc.filename}" if isinstance(exc, OSError) and exc.strerror and exc.filename else str(exc)
    return (text.strip().splitlines() or [type(exc).__name__])[0][:300]
