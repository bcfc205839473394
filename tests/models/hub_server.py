"""A local stand-in for the model hubs: serves files over HTTP with Range support.

URLs have the mirror form http://127.0.0.1:PORT/<host>/<path>; the server maps the last
path component to a file in its directory. It can corrupt a file, end a response early
once, or stall mid-response, so tests can exercise hash checks and resumed downloads.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class HubBehaviour:
    files: Path
    corrupt: set[str] = field(default_factory=set)  # names served with one byte flipped
    cut_once_after: dict[str, int] = field(default_factory=dict)  # name -> bytes, then close
    stall_after: dict[str, int] = field(default_factory=dict)  # name -> bytes, then hang
    ranges_seen: list[str] = field(default_factory=list)
    stop_stalling: threading.Event = field(default_factory=threading.Event)


def _handler(behaviour: HubBehaviour) -> type[BaseHTTPRequestHandler]:
    class HubHandler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

        def do_GET(self) -> None:
            name = self.path.rsplit("/", 1)[-1]
            path = behaviour.files / name
            if not path.is_file():
                self.send_error(404)
                return
            data = bytearray(path.read_bytes())
            if name in behaviour.corrupt:
                data[len(data) // 2] ^= 0xFF
            start = 0
            if range_header := self.headers.get("Range"):
                behaviour.ranges_seen.append(f"{name} {range_header}")
                start = int(range_header.removeprefix("bytes=").split("-")[0])
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(data) - start))
            self.end_headers()
            body = bytes(data[start:])
            if (cut := behaviour.cut_once_after.pop(name, None)) is not None:
                self.wfile.write(body[:cut])
                self.wfile.flush()
                self.close_connection = True
                return
            if (stall := behaviour.stall_after.get(name)) is not None:
                self.wfile.write(body[:stall])
                self.wfile.flush()
                behaviour.stop_stalling.wait(30)
                return
            self.wfile.write(body)

    return HubHandler


class LocalHub:
    """Run the stand-in hub on 127.0.0.1 in a background thread."""

    def __init__(self, behaviour: HubBehaviour) -> None:
        self.behaviour = behaviour
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(behaviour))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> LocalHub:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.behaviour.stop_stalling.set()
        time.sleep(0.05)
        self.server.shutdown()
        self.server.server_close()
