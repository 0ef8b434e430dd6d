"""Reports for reviewers, shared by `mfaguard scan` and `mfaguard drift`.

    model.py        Item / Report: one neutral finding model both commands are converted into
    scan_items.py   Checkov records -> Report;  drift_items.py: drift findings -> Report
    formats.py      the reviewer formats by name (what the two CLIs call)
    escape.py       every escaping rule, in one place (Markdown, HTML, mentions, workflow commands)
    markdown.py     --format markdown  (GitHub job summary, PR/MR comment; size-bounded)
    github.py       --format github    (workflow commands: ::error file=...,line=...::...)
    rdjsonl.py      --format rdjsonl   (reviewdog Diagnostic JSON lines, with suggestions)
    gitlab.py       --format gitlab_sast (GitLab's SAST report)
    sarif.py        SARIF post-processing: partialFingerprints and GitHub's upload limits
    coverage.py     who is covered (users -> groups -> policies), read from the scan's IAM model
    graph.py        that picture as Mermaid or DOT;  graph_cmd.py: `mfaguard graph PATH`

Nothing here imports Checkov or boto3 at module level.
"""
