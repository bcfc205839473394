"""Why a fast-path turn did not produce a reply; each kind has its own fallback."""

from __future__ import annotations


class RealtimeError(Exception):
    """The fast path could not answer this turn; the think path answers instead."""


class RealtimeAuthFailed(RealtimeError):
    """The service refused the API key (HTTP 401/403): the key needs re-entering."""


class RealtimeRateLimited(RealtimeError):
    """The service is rate limiting this key (HTTP 429 or `rate_limit_exceeded`)."""


class RealtimeServerError(RealtimeError):
    """The service failed (HTTP 5xx or a `server_error` event)."""


class RealtimeTimeout(RealtimeError):
    """No reply text arrived within the configured time."""


class RealtimeConnectionLost(RealtimeError):
    """There is no usable connection (closed, dropped, expired or never opened)."""


class RealtimeProtocolError(RealtimeError):
    """The service sent something this client cannot use.

    An unknown function call, an error for a request, an empty or malformed reply.
    """


class HandOffRequested(Exception):
    """The cloud model called `hand_off_to_home`: the think path takes the turn."""
