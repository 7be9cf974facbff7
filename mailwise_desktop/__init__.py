"""Mailwise Desktop: a shared-mailbox client for support teams."""

__version__ = "0.1.0"
APP_NAME = "Mailwise"
APP_ID = "mailwise-desktop"
