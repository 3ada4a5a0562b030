"""Errors a user can act on.  The CLI prints them as one line, no traceback."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or an unusable environment: the message names the problem and the input."""

    exit_code = 2
