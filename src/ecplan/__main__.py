from ecplan.cli import main

raise SystemExit(main())
