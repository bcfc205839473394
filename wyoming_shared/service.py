"""What every hybrid_voice server shares: command line, logging, zeroconf, shutdown."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from urllib.parse import urlparse

from wyoming.server import AsyncServer, AsyncTcpServer, HandlerFactory

_LOGGER = logging.getLogger(__name__)


def add_service_args(parser: argparse.ArgumentParser, default_uri: str, name: str) -> None:
    """Add the flags every service has: --uri, --zeroconf, --debug, --log-format."""
    parser.add_argument(
        "--uri", default=default_uri, help=f"tcp://, unix:// (default {default_uri})"
    )
    parser.add_argument(
        "--zeroconf",
        nargs="?",
        const=name,
        metavar="NAME",
        help=f"announce over zeroconf for Home Assistant discovery (name default: {name})",
    )
    parser.add_argument("--debug", action="store_true", help="log at DEBUG level")
    parser.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="text lines, or one JSON object per line for log collectors",
    )


def positive_int(value: str) -> int:
    """An argparse type: an integer greater than 0."""
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, not {value}")
    return number


def positive_float(value: str) -> float:
    """An argparse type: a number greater than 0."""
    number = float(value)
    if not number > 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, not {value}")
    return number


def add_idle_timeout_arg(parser: argparse.ArgumentParser, default: float = 30.0) -> None:
    """Add --idle-timeout: how long a client may pause mid-event or mid-request."""
    parser.add_argument(
        "--idle-timeout",
        type=positive_float,
        default=default,
        metavar="SECONDS",
        help="close a connection that sends nothing for this long in the middle of an "
        f"event or of an open request (default {default:g}); idle connections between "
        "requests stay open",
    )


class JsonLogFormatter(logging.Formatter):
    """One JSON object per log record: time, level, logger, message, exception."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.levelno >= logging.DEBUG:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure_logging(args: argparse.Namespace) -> None:
    """Log to stderr at the level and in the format the flags ask for."""
    handler = logging.StreamHandler(sys.stderr)
    if args.log_format == "json":
        handler.setFormatter(JsonLogFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.INFO, handlers=[handler])


async def announce(uri: str, name: str) -> None:
    """Register `_wyoming._tcp` so Home Assistant's wyoming integration discovers us."""
    from wyoming.zeroconf import HomeAssistantZeroconf

    parsed = urlparse(uri)
    if parsed.scheme != "tcp" or parsed.port is None:
        raise SystemExit("--zeroconf needs a tcp:// --uri with a port")
    host = parsed.hostname if parsed.hostname not in (None, "0.0.0.0") else None
    await HomeAssistantZeroconf(name=name, port=parsed.port, host=host).register_server()
    _LOGGER.info("announced %s over zeroconf on port %s", name, parsed.port)


async def serve(args: argparse.Namespace, handler_factory: HandlerFactory) -> None:
    """Serve until SIGTERM/SIGINT, then stop accepting and close every connection."""
    server = AsyncServer.from_uri(args.uri)
    if args.zeroconf:
        await announce(args.uri, args.zeroconf)
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    if isinstance(server, AsyncTcpServer):
        await server.start(handler_factory)
        _LOGGER.info("ready on %s", args.uri)
        await stopping.wait()
    else:
        run_task = asyncio.create_task(server.run(handler_factory))
        _LOGGER.info("ready on %s", args.uri)
        stop_task = asyncio.create_task(stopping.wait())
        await asyncio.wait({run_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
        stop_task.cancel()
    _LOGGER.info("stopping")
    await server.stop()


def run_service(args: argparse.Namespace, handler_factory: HandlerFactory) -> None:
    """Run `serve` in a new event loop until the service is stopped."""
    asyncio.run(serve(args, handler_factory))
