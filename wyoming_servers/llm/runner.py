"""Run the HTTP server: bind early, load the model in the background, stop on SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import logging
import signal
import socket
from collections.abc import Generator

import uvicorn

from wyoming_shared.cpu_budget import CpuGauge

from .app import LauncherApp, ServerState
from .discovery import Announcement, service_info
from .request_deadline import with_read_timeout
from .request_limits import ServedModel
from .settings import LlmSettings, llama_settings

_LOGGER = logging.getLogger(__name__)
SHUTDOWN_GRACE_S = 30  # a think-path reply on a small CPU can take this long


class StartupError(Exception):
    """The server cannot start; the message is one line for the user."""


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: ours stops it and exits with 0."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None]:
        yield

    def install_signal_handlers(self) -> None:
        return


def bind(settings: LlmSettings) -> tuple[socket.socket, LlmSettings]:
    """Listen before the model loads, so a taken port fails at once; port 0 picks one."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((settings.host, settings.port))
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise StartupError(
                f"port {settings.port} on {settings.host} is already in use; stop the other "
                "server or choose another port with --uri"
            ) from None
        raise StartupError(f"cannot listen on {settings.uri}: {err.strerror}") from None
    sock.listen(128)
    sock.setblocking(False)
    return sock, dataclasses.replace(settings, port=sock.getsockname()[1])


def _load_model(
    settings: LlmSettings, state: ServerState, debug: bool, gauge: CpuGauge | None
) -> None:
    """Build llama-cpp-python's app (this loads the model) and hand it to the front."""
    from llama_cpp.server import app as llama_server

    from .chat_handler import register
    from .generation_guard import watch_generation
    from .grammar_sampling import grammar_parser, use_grammar_sampling
    from .thread_choice import follow_free_cpus

    register()
    # Its prints about clients that left would break the structured log.
    llama_server.print = _upstream_print  # type: ignore[attr-defined]
    server_settings, model_settings = llama_settings(settings, debug)
    api = llama_server.create_app(server_settings=server_settings, model_settings=[model_settings])
    # One model is configured, so the proxy keeps this Llama for the server's lifetime.
    assert llama_server._llama_proxy is not None
    llama = llama_server._llama_proxy()
    use_grammar_sampling(llama, settings.grammar_sampling)
    watch_generation(llama, state.stats)
    if gauge is not None:
        follow_free_cpus(llama, gauge, settings.threads)
    state.served = ServedModel(
        name=settings.model_name,
        ctx=llama.n_ctx(),
        vocab=llama.n_vocab(),
        grammar_parses=grammar_parser(llama),
    )
    state.api = api


def _upstream_print(*args: object, **_kwargs: object) -> None:
    _LOGGER.debug("llama-cpp-python: %s", " ".join(str(arg) for arg in args))


async def _load_then_announce(
    settings: LlmSettings,
    state: ServerState,
    server: uvicorn.Server,
    debug: bool,
    announcement: Announcement | None,
) -> None:
    _LOGGER.info("loading %s from %s", settings.model_name, settings.model_path.name)
    gauge = None
    if settings.adaptive_threads:
        gauge = CpuGauge(cpus=settings.threads)
        gauge.start()
    try:
        await asyncio.to_thread(_load_model, settings, state, debug, gauge)
    except Exception as err:  # llama.cpp reports a bad file as ValueError/RuntimeError
        state.error = f"cannot load model {settings.model_path.name}: {err}"
        _LOGGER.error("%s", state.error)  # one line, no traceback
        server.should_exit = True
        return
    _LOGGER.info(
        "ready: %s on http://%s:%s/v1 (ctx %s, %s threads, chat format %s, %s grammar sampling)",
        settings.model_name,
        settings.host,
        settings.port,
        settings.ctx,
        f"up to {settings.threads} free" if settings.adaptive_threads else settings.threads,
        settings.chat_format,
        settings.grammar_sampling,
    )
    if announcement is not None:
        await announcement.register()


def _request_stop(server: uvicorn.Server, signum: int) -> None:
    _LOGGER.info("stopping on %s", signal.Signals(signum).name)
    server.should_exit = True


async def serve(settings: LlmSettings, debug: bool) -> int:
    """Serve until SIGTERM/SIGINT; return the process exit code."""
    sock, settings = bind(settings)
    _LOGGER.info("listening on http://%s:%s", settings.host, settings.port)
    state = ServerState(
        model=settings.model_name,
        details={
            "ctx": settings.ctx,
            "threads": settings.threads,
            "adaptive_threads": settings.adaptive_threads,
            "chat_format": settings.chat_format,
            "prompt_cache_mb": settings.prompt_cache_mb,
            "grammar_sampling": settings.grammar_sampling,
        },
    )
    config = uvicorn.Config(
        LauncherApp(state),
        log_config=None,
        access_log=debug,
        lifespan="off",
        http=with_read_timeout(settings.read_timeout),
        timeout_graceful_shutdown=SHUTDOWN_GRACE_S,
    )
    server = _Server(config)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, _request_stop, server, signum)
    announcement = None
    if settings.zeroconf:
        announcement = Announcement(
            service_info(settings.zeroconf, settings.host, settings.port, settings.model_name)
        )
    loader = asyncio.create_task(_load_then_announce(settings, state, server, debug, announcement))
    try:
        await server.serve(sockets=[sock])
    finally:
        # A load in progress finishes first. The model is not freed by hand: a generation
        # cut off by the shutdown timeout may still run in its worker thread, and Python
        # waits for that thread before it exits and releases the model.
        await loader
        if announcement is not None:
            await announcement.unregister()
        sock.close()
        _LOGGER.info("stopped")
    return 1 if state.error is not None else 0
