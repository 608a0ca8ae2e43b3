from cleannews.cli import main

raise SystemExit(main())
