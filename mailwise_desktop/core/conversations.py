"""Conversations: messages grouped by References / In-Reply-To, with a subject fallback.

Pure (no I/O): the store hands in :class:`ThreadItem` values, this module says
which belong together. The rules, in order:

1. Header links. A message joins every message whose Message-ID appears in
   its References or In-Reply-To, and every message that shares one of
   those ids (two replies to a mail we never had still belong together).
2. Subject fallback, for mailers that drop the headers (some Japanese mobile
   mailers, web forms that "reply" by copying the subject): a message none
   of whose link ids is known, whose subject carries a reply or forward
   prefix (``RE:`` ``Re[2]:`` ``返信:`` ``転送:`` ``Fw:`` ...), joins the latest
   earlier message with the same bare subject and at least one shared
   participant, at most :data:`SUBJECT_WINDOW_DAYS` older.

A conversation is named by the smallest row id in it (stable while the
cache lives; the UI never shows it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass

#: How far back the subject fallback looks for the message a reply belongs to.
SUBJECT_WINDOW_DAYS = 60

# One reply/forward prefix: an ASCII or Japanese/Chinese word, an optional
# counter ("Re[2]:", "Re(3):", "Re2:", "RE^2:"), then a colon (full-width
# forms are folded by NFKC first). "[tag]" list prefixes are kept: they are
# part of the subject people search for.
_PREFIX = re.compile(
    r"^\s*(?:re|fw|fwd|aw|wg|sv|vs|tr|rv|antw|返信|転送|回答|答复|回复|转发|返|転)"
    r"\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\^\d{1,4}|\d{1,4})?\s*:\s*",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


def split_subject(subject: str) -> tuple[str, bool]:
    """The subject without reply/forward prefixes, and whether it had any.

    >>> split_subject("Re[2]: 返信: 請求書について")
    ('請求書について', True)
    """
    text = unicodedata.normalize("NFKC", subject or "")
    had = False
    for _ in range(20):  # "Re: Re: Re: ..." chains are bounded, never a loop forever
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text, had = stripped, True
    return _SPACES.sub(" ", text).strip().casefold(), had


@dataclass(frozen=True, slots=True)  # slots: a whole-account regroup holds 200,000 of these
class ThreadItem:
    """What threading needs of one cached message.

    Attributes:
        key: the cache row id.
        message_id: its Message-ID without ``<>`` (None when missing).
        links: References then In-Reply-To ids, without ``<>``.
        subject: the subject as shown.
        participants: lower-cased addresses from From, To and Cc.
        date: epoch seconds (None when unknown).
    """

    key: int
    message_id: str | None
    links: tuple[str, ...]
    subject: str
    participants: frozenset[str]
    date: float | None


class _Sets:
    """Union-find over row ids; the root is always the smallest id."""

    def __init__(self, keys: Iterable[int]) -> None:
        self.parent = {k: k for k in keys}

    def find(self, key: int) -> int:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo


def group(items: Sequence[ThreadItem], ours: frozenset[str] = frozenset()) -> dict[int, int]:
    """Map each item's key to its conversation id (the smallest key in the conversation).

    The reference the stored conversation ids (:mod:`store.conversation_ids`)
    are tested against: that module keeps the same partition incrementally.

    Args:
        items: the messages.
        ours: the team's own addresses (lower case); sharing only one of these
            does not make two mails with the same subject one conversation.
    """
    known = {item.message_id for item in items if item.message_id}
    return partition(items, subject_edges(items, known, ours))


def partition(items: Sequence[ThreadItem], edges: Mapping[int, int]) -> dict[int, int]:
    """Key -> conversation id: items sharing any id (own or linked) are one, plus ``edges``.

    Two messages belong together when one's Message-ID is in the other's
    References / In-Reply-To, when they carry the same Message-ID (the same
    mail in INBOX and Sent), or when they link to the same id (two replies to
    a mail we never had). ``edges`` (key -> key) are the subject-fallback
    joins; an edge to a key not among ``items`` is ignored.
    """
    sets = _Sets(item.key for item in items)
    by_id: dict[str, int] = {}
    for item in items:
        for ref in (item.message_id, *item.links) if item.message_id else item.links:
            first = by_id.setdefault(ref, item.key)
            sets.union(first, item.key)
    del by_id  # one entry per id and link: gone before the answer is built (the peak)
    for key, parent in edges.items():
        if key in sets.parent and parent in sets.parent:
            sets.union(parent, key)
    return {item.key: sets.find(item.key) for item in items}


#: :func:`split_subject` of a subject, worked out once and handed on.
Split = tuple[str, bool]


def is_candidate(item: ThreadItem, known_ids: Container[str], split: Split | None = None) -> bool:
    """Whether the subject fallback applies: a reply prefix and no link to a known Message-ID.

    Args:
        split: ``split_subject(item.subject)`` when the caller has it already.
    """
    had_prefix = (split if split is not None else split_subject(item.subject))[1]
    return had_prefix and not any(ref in known_ids for ref in item.links)


def best_match(
    item: ThreadItem, same_subject: Iterable[ThreadItem], ours: frozenset[str]
) -> ThreadItem | None:
    """The message a subject-fallback candidate joins, among those with its bare subject.

    The latest earlier one (ties: the smallest key) sharing a participant other
    than us, at most :data:`SUBJECT_WINDOW_DAYS` older; undated messages only
    join a smaller key.
    """
    best: ThreadItem | None = None
    people = item.participants - ours
    window = SUBJECT_WINDOW_DAYS * 86400.0
    for other in sorted(same_subject, key=lambda o: o.key):
        if other.key == item.key or not (other.participants & people):
            continue
        if item.date is not None and other.date is not None:
            if not (item.date - window <= other.date <= item.date):
                continue
        elif other.key > item.key:
            continue
        if best is None or (other.date or 0.0) > (best.date or 0.0):
            best = other
    return best


def subject_edges(
    items: Sequence[ThreadItem],
    known_ids: Container[str],
    ours: frozenset[str],
    splits: Sequence[Split] | None = None,
) -> dict[int, int]:
    """Candidate key -> the key it joins by subject (see :func:`best_match`).

    Args:
        items: every message (the buckets of equal bare subjects come from these).
        known_ids: every Message-ID of the account (a link to one of these is a header link).
        ours: the team's own addresses.
        splits: ``split_subject`` of each item's subject, in the order of ``items``,
            when the caller has them (a whole-account regroup splits each subject
            once, not once per pass: NFKC and the prefix loop per message add up).
    """
    if splits is None:
        splits = [split_subject(item.subject) for item in items]
    candidates = [
        (item, split[0])
        for item, split in zip(items, splits, strict=True)
        if is_candidate(item, known_ids, split)
    ]
    if not candidates:
        return {}
    by_subject: dict[str, list[ThreadItem]] = {}
    for item, (bare, _had) in zip(items, splits, strict=True):
        if bare:
            by_subject.setdefault(bare, []).append(item)
    edges: dict[int, int] = {}
    for item, bare in candidates:
        best = best_match(item, by_subject.get(bare, ()), ours)
        if best is not None:
            edges[item.key] = best.key
    return edges


def members(assignment: dict[int, int]) -> dict[int, list[int]]:
    """Conversation id -> its keys, ascending."""
    out: dict[int, list[int]] = {}
    for key, conversation in sorted(assignment.items()):
        out.setdefault(conversation, []).append(key)
    return out
