"""The public code of a visit (检查码): printed as a QR code, scanned by the inspected subject."""

from __future__ import annotations

import secrets

# No 0/O/1/I/L: the code is also read aloud and typed from paper.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def visit_code() -> str:
    """A random, unguessable code (31^10 ≈ 8e14): knowing one visit's code reveals no other."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
