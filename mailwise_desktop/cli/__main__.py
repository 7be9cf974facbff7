"""``python -m mailwise_desktop.cli`` runs the headless CLI."""

from mailwise_desktop.cli.main import main

raise SystemExit(main())
