"""Clue numbers and tracking codes.

The clue number (XS + date + sequence digits) is for staff and documents. The tracking code given to
a reporter is random and unguessable (10 characters from an alphabet without 0/O/1/I/L), so the public
status page cannot be used to walk through other people's clues.
"""

from __future__ import annotations

import datetime
import secrets

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 10


def tracking_code() -> str:
    """A random code such as K7QMW2ZP4H (about 49 bits)."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def clue_code(now: datetime.datetime) -> str:
    """XS20261125-8F3K2Q: date for people, random part for uniqueness without a shared counter."""
    return f"XS{now:%Y%m%d}-{''.join(secrets.choice(TRACKING_ALPHABET) for _ in range(6))}"


def normalise_tracking(text: str) -> str:
    """What the public types: case and spaces ignored."""
    return "".join((text or "").split()).upper()
