"""Reports for reviewers, shared by `mfaguard scan` and `mfaguard drift`.

    model.py     Item / Report: one neutral finding model both commands are converted into
    scan_items.py, drift_items.py   the two adapters (Checkov records, drift findings -> Report)
    escape.py    every escaping rule, in one place (Markdown, HTML, mentions, workflow commands)
    markdown.py  --format markdown  (GitHub job summary, PR/MR comment; size-bounded)
    github.py    --format github    (workflow commands: ::error file=...,line=...::...)
    rdjsonl.py   --format rdjsonl   (reviewdog Diagnostic JSON lines, with suggestions)
    sarif.py     SARIF post-processing: partialFingerprints and GitHub's upload limits

Nothing here imports Checkov or boto3.
"""
