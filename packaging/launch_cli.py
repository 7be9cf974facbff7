"""Frozen entry point of ``mailwise`` (PyInstaller runs this file as ``__main__``)."""

import multiprocessing

# A spawned worker (header parsing, imap/parse_worker.py) starts this same
# executable: freeze_support runs the worker's task instead of the app then.
multiprocessing.freeze_support()

from mailwise_desktop.cli.main import main  # noqa: E402  (after freeze_support: a worker loads no app)

raise SystemExit(main())
