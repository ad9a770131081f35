"""What exams announce to features built on them (practice's 错题本), so exams never import them.

Receivers run inside the request's transaction; the sender commits.
"""

from blinker import Namespace

_signals = Namespace()

answers_revealed = _signals.signal("answers-revealed")
"""Sent with the attempt (and `now=`) once its review policy lets the examinee see the key."""
