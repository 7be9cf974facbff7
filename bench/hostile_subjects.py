"""Long folded encoded-word subjects (issue 9, case 9): decoding time must grow linearly.

Usage: ``python -m bench.hostile_subjects [--words 400000]``. Times
``parse_headers`` on a Subject of N and N/4 folded UTF-8 B-words in the same
run and prints both and their ratio (linear: about 4; the quadratic join
before the fix took 11 s at 400k words).
"""

from __future__ import annotations

import argparse
import time

from mailwise_desktop.mail.headers import parse_headers


def subject_block(words: int) -> bytes:
    return b"Subject: " + b"\r\n ".join([b"=?utf-8?B?44GC?="] * words) + b"\r\n\r\n"


def seconds(words: int) -> float:
    raw = subject_block(words)
    start = time.perf_counter()
    info = parse_headers(raw)
    elapsed = time.perf_counter() - start
    assert info.subject == "あ" * words
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=400_000)
    words = parser.parse_args().words
    small, large = seconds(words // 4), seconds(words)
    print(f"{words // 4:>8} words: {small:.3f} s")
    print(f"{words:>8} words: {large:.3f} s")
    print(f"ratio {large / small:.1f} for 4x the words (linear is about 4)")


if __name__ == "__main__":
    main()
