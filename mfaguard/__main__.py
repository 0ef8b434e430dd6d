from mfaguard.cli import main

raise SystemExit(main())
