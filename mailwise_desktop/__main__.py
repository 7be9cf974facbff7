"""``python -m mailwise_desktop`` starts the GUI."""

from mailwise_desktop.app import main

raise SystemExit(main())
