"""Reading a mailbox's state from SELECT / STATUS responses."""

from __future__ import annotations

from dataclasses import dataclass

from mailwise_desktop.imap.tokens import Token


@dataclass(frozen=True)
class MailboxStatus:
    """What the server says about a mailbox right now."""

    uidvalidity: int
    uidnext: int | None
    highestmodseq: int | None  # None: the server keeps no modseqs (NOMODSEQ)
    exists: int
    permanent_flags: tuple[str, ...] = ()
    read_only: bool = False

    @property
    def allows_keywords(self) -> bool:
        return "\\*" in self.permanent_flags


def _int(token: Token) -> int | None:
    return int(token) if isinstance(token, bytes) and token.isdigit() else None


def from_select(untagged: list[list[Token]], tagged_text: bytes) -> MailboxStatus:
    """Collect UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, EXISTS, PERMANENTFLAGS."""
    values: dict[str, int | None] = {"uidvalidity": None, "uidnext": None, "highestmodseq": None}
    exists = 0
    permanent: tuple[str, ...] = ()
    for tokens in untagged:
        if len(tokens) >= 2 and tokens[1] == b"EXISTS":
            exists = _int(tokens[0]) or 0
        elif tokens and tokens[0] == b"OK" and len(tokens) >= 2 and isinstance(tokens[1], list):
            code = tokens[1]
            name = code[0] if code and isinstance(code[0], bytes) else b""
            key = name.decode("ascii", "replace").lower()
            if key in values and len(code) > 1:
                values[key] = _int(code[1])
            elif key == "permanentflags" and len(code) > 1 and isinstance(code[1], list):
                permanent = tuple(
                    f.decode("ascii", "replace") for f in code[1] if isinstance(f, bytes)
                )
    if values["uidvalidity"] is None:
        raise ValueError("SELECT returned no UIDVALIDITY")
    return MailboxStatus(
        uidvalidity=int(values["uidvalidity"]),
        uidnext=values["uidnext"],
        highestmodseq=values["highestmodseq"],
        exists=exists,
        permanent_flags=permanent,
        read_only=b"READ-ONLY" in tagged_text.upper(),
    )


def from_status(untagged: list[list[Token]]) -> MailboxStatus:
    """From ``* STATUS name (MESSAGES n UIDNEXT n UIDVALIDITY n HIGHESTMODSEQ n)``."""
    for tokens in untagged:
        if tokens and tokens[0] == b"STATUS" and len(tokens) >= 3 and isinstance(tokens[-1], list):
            items = tokens[-1]
            data = {
                items[i].upper(): items[i + 1]  # type: ignore[union-attr]
                for i in range(0, len(items) - 1, 2)
                if isinstance(items[i], bytes)
            }
            uidvalidity = _int(data.get(b"UIDVALIDITY"))
            if uidvalidity is None:
                break
            return MailboxStatus(
                uidvalidity=uidvalidity,
                uidnext=_int(data.get(b"UIDNEXT")),
                highestmodseq=_int(data.get(b"HIGHESTMODSEQ")),
                exists=_int(data.get(b"MESSAGES")) or 0,
            )
    raise ValueError("STATUS returned no UIDVALIDITY")
