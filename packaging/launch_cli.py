"""Frozen entry point of ``mailwise`` (PyInstaller runs this file as ``__main__``)."""

from mailwise_desktop.cli.main import main

raise SystemExit(main())
