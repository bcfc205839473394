"""One persistent Realtime WebSocket per agent, opened at set-up and kept warm.

The connection runs on an aiohttp `ClientSession` it is given (Home Assistant's shared
one): GA protocol (no beta header), `session.update` once per connection with what the
privacy boundary built, heartbeat pings, reconnection with jittered exponential
backoff, and a fresh connection before the service's 60-minute session limit and after
a `session_expired` error. One response at a time: a turn waits for the previous one
(a lock), and a response that a turn gave up on is cancelled (or the socket replaced)
before the next turn starts one, so `conversation_already_has_active_response` never
happens. A connection that drops mid-reply is retried once on a fresh one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import aiohttp

from .realtime_connect import (
    MAX_EVENT_BYTES,
    RealtimeSettings,
    open_connection,
    realtime_url,
    send_event,
)
from .realtime_errors import RealtimeAuthFailed, RealtimeConnectionLost, RealtimeError
from .realtime_events import (
    IGNORED_EVENTS,
    SESSION_EVENTS,
    TURN_EVENTS,
    UnknownEventLog,
    error_code,
    parse_server_event,
    response_cancel,
    response_create,
)
from .realtime_turn import EventChannel, ReplyReader, ResumedReply, UsageListener

__all__ = ["RealtimeSession", "RealtimeSettings", "realtime_url"]

_LOGGER = logging.getLogger(__package__)

type TaskFactory = Callable[[Coroutine[Any, Any, None], str], asyncio.Task[None]]

# A connection that lived shorter than this counts as a failed attempt for the backoff.
SHORT_LIVED = 5.0


class RealtimeSession:
    """The fast path's connection: `start()` once, then `reply()` per turn."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        settings: RealtimeSettings,
        session_config: dict[str, Any],
        *,
        on_usage: UsageListener | None = None,
        on_auth_failed: Callable[[], None] | None = None,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._http = http
        self.settings = settings
        self._session_config = session_config
        self._on_usage = on_usage
        self._on_auth_failed = on_auth_failed
        self._jitter = jitter
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ready = asyncio.Event()
        # Set (and replaced) whenever a connection attempt ends, either way.
        self._attempt_ended = asyncio.Event()
        self._turn_lock = asyncio.Lock()
        self._channel: EventChannel | None = None
        self._runner: asyncio.Task[None] | None = None
        self._renewal: asyncio.Task[None] | None = None
        self._failure: RealtimeError | None = None
        self._logged_failure: str | None = None
        self._events = UnknownEventLog()
        self.connections_opened = 0
        self.rate_limits: list[Any] = []

    @property
    def connected(self) -> bool:
        """A socket is open and its session configured."""
        return self._ready.is_set()

    @property
    def auth_failed(self) -> bool:
        """The service refused the key; nothing is retried until it changes."""
        return isinstance(self._failure, RealtimeAuthFailed)

    def start(self, create_task: TaskFactory | None = None) -> None:
        """Open the connection in the background and keep it open.

        `create_task` runs the connection's task (Home Assistant's background tasks are
        cancelled when it stops); the default is the running loop's.
        """
        name = "hybrid_voice realtime connection"
        if create_task is None:
            self._runner = asyncio.get_running_loop().create_task(self._run(), name=name)
        else:
            self._runner = create_task(self._run(), name)

    async def async_stop(self) -> None:
        """Close the connection for good."""
        for task in (self._renewal, self._runner):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._ws is not None:
            await self._ws.close()

    async def reply(self, response: dict[str, Any]) -> AsyncIterator[str]:
        """The text deltas of the reply to one `response.create`.

        `response` is built by the privacy boundary. A dropped or expired connection is
        retried once on a fresh one.
        """
        already = ""
        for attempt in range(2):
            resumed = ResumedReply(already)
            try:
                async for delta in self._one_reply(response):
                    already += delta if attempt == 0 else ""
                    new = resumed.feed(delta) if attempt else delta
                    if new:
                        yield new
                return
            except RealtimeConnectionLost as err:
                if attempt:
                    raise
                _LOGGER.info("Realtime: %s; asking again on a fresh connection", err)

    async def _one_reply(self, response: dict[str, Any]) -> AsyncIterator[str]:
        async with self._turn_lock:
            ws = await self._ready_socket()
            channel: EventChannel = asyncio.Queue()
            self._channel = channel
            reader = ReplyReader(
                channel,
                self.settings.first_delta_timeout,
                self.settings.idle_timeout,
                self._on_usage,
            )
            try:
                await send_event(ws, response_create(response))
                async for delta in reader.deltas():
                    yield delta
            finally:
                try:
                    if reader.active:
                        await self._settle(ws, reader)
                finally:
                    self._channel = None

    async def _ready_socket(self) -> aiohttp.ClientWebSocketResponse:
        """The open socket; waits for a connection being opened, not for a backoff."""
        try:
            async with asyncio.timeout(self.settings.first_delta_timeout):
                while not self._ready.is_set():
                    if self._failure is not None:
                        raise type(self._failure)(str(self._failure))
                    await self._attempt_ended.wait()
        except TimeoutError:
            raise RealtimeConnectionLost("no connection to the service") from None
        ws = self._ws
        if ws is None or ws.closed:
            raise RealtimeConnectionLost("no connection to the service")
        return ws

    async def _settle(self, ws: aiohttp.ClientWebSocketResponse, reader: ReplyReader) -> None:
        """End a response the turn left running.

        A socket where it will not end is replaced: a new response there would be refused.
        """
        try:
            if not reader.handed_off:
                await send_event(ws, response_cancel())
            async with asyncio.timeout(self.settings.settle_timeout):
                await reader.until_done()
        except (TimeoutError, RealtimeError):
            await ws.close()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        failures = 0
        while True:
            try:
                ws = await open_connection(self._http, self.settings, self._session_config)
                self.connections_opened += 1
            except RealtimeError as err:
                self._note_failure(err)
                if isinstance(err, RealtimeAuthFailed):
                    if self._on_auth_failed is not None:
                        self._on_auth_failed()
                    return
                await asyncio.sleep(self._backoff(failures))
                failures += 1
                continue
            self._note_connected()
            opened = loop.time()
            await self._serve(ws)
            failures = failures + 1 if loop.time() - opened < SHORT_LIVED else 0
            if failures:
                await asyncio.sleep(self._backoff(failures - 1))

    def _backoff(self, failures: int) -> float:
        delay = min(self.settings.backoff_max, self.settings.backoff_base * 2**failures)
        return float(delay * (0.5 + self._jitter() / 2))

    async def _serve(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Read events until the socket closes; renew it when it gets old."""
        self._ws = ws
        self._ready.set()
        self._attempt_done()
        renew = asyncio.get_running_loop().call_later(self.settings.renew_after, self._renew, ws)
        try:
            async for message in ws:
                if message.type is aiohttp.WSMsgType.TEXT:
                    self._dispatch(message.data)
        finally:
            renew.cancel()
            self._ready.clear()
            self._ws = None
            await ws.close()
            if self._channel is not None:
                self._channel.put_nowait(None)
        _LOGGER.debug("Realtime: connection closed (code %s)", ws.close_code)

    def _renew(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async def close_between_turns() -> None:
            async with self._turn_lock:
                await ws.close()

        self._renewal = asyncio.get_running_loop().create_task(close_between_turns())

    def _dispatch(self, data: str) -> None:
        event = parse_server_event(data) if len(data) <= MAX_EVENT_BYTES else None
        if event is None:
            self._events.malformed(len(data))
            return
        kind = event["type"]
        if kind == "error" and error_code(event) == "response_cancel_not_active":
            return  # a cancel that crossed the response's end: nothing was running
        if kind in TURN_EVENTS:
            if self._channel is not None:
                self._channel.put_nowait(event)
            elif kind == "error":
                _LOGGER.debug("Realtime: service error between turns: %s", error_code(event))
        elif kind == "rate_limits.updated":
            self.rate_limits = list(event.get("rate_limits") or [])
        elif kind not in SESSION_EVENTS and kind not in IGNORED_EVENTS:
            self._events.unknown(kind)

    def _attempt_done(self) -> None:
        self._attempt_ended.set()
        self._attempt_ended = asyncio.Event()

    def _note_failure(self, err: RealtimeError) -> None:
        """Remember why connecting failed; log it once, not on every retry."""
        self._failure = err
        self._attempt_done()
        if self._logged_failure != str(err):
            self._logged_failure = str(err)
            _LOGGER.warning("Realtime: %s; the local path answers meanwhile", err)

    def _note_connected(self) -> None:
        self._failure = None
        if self._logged_failure is not None:
            _LOGGER.info("Realtime: connected again")
            self._logged_failure = None
