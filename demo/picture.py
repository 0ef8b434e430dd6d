"""Render Mermaid with the npm `mermaid` package in headless Chromium (Debian's `chromium`).

    python demo/picture.py [PATH] [--png docs/coverage.png]

Draws `mfaguard graph PATH` (default: the example stack), checks that mermaid parses and
renders it, and with --png keeps a screenshot.  tests/test_mermaid_render.py uses the same
functions.  Needs /usr/bin/chromium (apt-get install chromium) and node_modules/mermaid in
$MFAGUARD_MERMAID_DIR (default ~/.cache/mfaguard-mermaid; `npm install mermaid` there);
`.ci/run` installs both.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars"]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def mermaid_js() -> str | None:
    base = os.environ.get("MFAGUARD_MERMAID_DIR") or os.path.expanduser("~/.cache/mfaguard-mermaid")
    path = os.path.join(base, "node_modules", "mermaid", "dist", "mermaid.min.js")
    return path if os.path.isfile(path) else None


def missing() -> str | None:
    """Why rendering is impossible here, or None."""
    if chromium() is None:
        return "chromium is not installed (apt-get install chromium)"
    if mermaid_js() is None:
        return "node_modules/mermaid not found (npm install mermaid in $MFAGUARD_MERMAID_DIR or ~/.cache/mfaguard-mermaid)"
    return None


def _page(diagrams: list[str]) -> str:
    data = json.dumps(diagrams).replace("</", "<\\/")
    return f"""<!doctype html><html><head><meta charset="utf-8"></head>
<body style="background:#fff;margin:8px">
<div id="out"></div><pre id="status" style="position:absolute;left:-9999px">pending</pre>
<script src="file://{html.escape(mermaid_js() or '')}"></script>
<script>
mermaid.initialize({{startOnLoad: false, securityLevel: "strict", flowchart: {{htmlLabels: true}}}});
(async () => {{
  const diagrams = {data};
  const status = [];
  for (let i = 0; i < diagrams.length; i++) {{
    try {{
      await mermaid.parse(diagrams[i]);
      const {{svg}} = await mermaid.render("d" + i, diagrams[i]);
      document.getElementById("out").insertAdjacentHTML("beforeend", svg);
      status.push("OK");
    }} catch (e) {{
      status.push("ERROR " + String((e && e.message) || e).split("\\n").join(" "));
    }}
  }}
  document.getElementById("status").textContent = "RESULT " + JSON.stringify(status);
}})();
</script></body></html>"""


def _chromium(page: str, extra: list[str]) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="mfaguard-chromium-") as tmp:
        path = os.path.join(tmp, "page.html")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(page)
        args = [chromium() or "chromium", *CHROMIUM_FLAGS, f"--user-data-dir={os.path.join(tmp, 'profile')}",
                "--allow-file-access-from-files", "--virtual-time-budget=20000", *extra, f"file://{path}"]
        return subprocess.run(args, capture_output=True, text=True, timeout=180)


def render(diagrams: list[str]) -> list[str]:
    """One status per diagram: "OK" or "ERROR <mermaid's message>"."""
    proc = _chromium(_page(diagrams), ["--dump-dom"])
    m = re.search(r"RESULT (\[.*?\])</pre>", proc.stdout, re.S)
    if not m:
        raise RuntimeError(f"chromium gave no result (exit {proc.returncode}): {proc.stderr[-500:]}")
    return json.loads(html.unescape(m.group(1)))


def screenshot(diagram: str, png: str, size: str = "1400,700") -> None:
    _chromium(_page([diagram]), [f"--screenshot={os.path.abspath(png)}", f"--window-size={size}"])
    if not os.path.isfile(png):
        raise RuntimeError("chromium wrote no screenshot")


def main(argv: list[str]) -> int:
    import argparse

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("path", nargs="?", default="terraform_fixtures/examples/")
    p.add_argument("--png")
    args = p.parse_args(argv)
    why = missing()
    if why:
        print(f"picture: cannot render: {why}", file=sys.stderr)
        return 2
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from mfaguard.report import graph
    from mfaguard.report.graph_cmd import coverage_of

    cov, _ = coverage_of([args.path])
    text = graph.mermaid(cov)
    status = render([text])[0]
    print(f"mermaid: {status}")
    if status != "OK":
        return 1
    if args.png:
        screenshot(text, args.png)
        print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
