"""Frozen entry point of ``mailwise-desktop`` (PyInstaller runs this file as ``__main__``)."""

from mailwise_desktop.app import main

raise SystemExit(main())
