"""The cache's account rows: every other table hangs off one (its own module, below them all)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from mailwise_desktop.store.schema import AccountRow


def ensure_account(session: Session, account_id: str) -> None:
    """Create the account's row on first use (inside the caller's transaction)."""
    if session.get(AccountRow, account_id) is None:
        session.add(AccountRow(id=account_id))
        session.flush()
