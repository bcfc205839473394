"""Command line of `hybrid-voice-llm` and its translation into llama.cpp settings."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args
from urllib.parse import urlparse

from wyoming_servers.models import ModelStore
from wyoming_shared.cpu_budget import AUTO, thread_budget
from wyoming_shared.model_paths import ModelStoreError, resolve_model
from wyoming_shared.service import add_service_args

if TYPE_CHECKING:
    from llama_cpp.server.settings import ModelSettings, ServerSettings

PROG = "hybrid-voice-llm"
DEFAULT_URI = "tcp://0.0.0.0:8080"
DEFAULT_MODEL = "qwen2.5-coder-1.5b-q4"
DEFAULT_CHAT_FORMAT = "chatml-function-calling"
GrammarSampling = Literal["full", "lazy"]
DEFAULT_GRAMMAR_SAMPLING: GrammarSampling = "lazy"
API_KEY_ENV = "HYBRID_VOICE_LLM_API_KEY"
MIN_CTX = 512
DEFAULT_READ_TIMEOUT_S = 10.0
MAX_READ_TIMEOUT_S = 3600.0
MAX_CTX = 131072


class SettingsError(Exception):
    """Settings that cannot work; the message says which and why."""


@dataclass(frozen=True)
class LlmSettings:
    """Every setting of one server, checked."""

    host: str
    port: int
    model_path: Path
    model_name: str
    threads: int  # the most threads; all of them when not adaptive
    adaptive_threads: bool  # --threads auto: as many as CPUs are free, batch by batch
    ctx: int
    batch: int
    chat_format: str
    prompt_cache_mb: int
    grammar_sampling: GrammarSampling
    api_key: str | None
    zeroconf: str | None
    read_timeout: float = DEFAULT_READ_TIMEOUT_S

    @property
    def uri(self) -> str:
        """Where the server listens, as `--uri` takes it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"tcp://{host}:{self.port}"


def build_parser() -> argparse.ArgumentParser:
    """The command line of `hybrid-voice-llm`."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Serve a stored GGUF model over the OpenAI API (llama.cpp) for the think "
        "path of hybrid_voice, with GET /health.",
    )
    add_service_args(parser, DEFAULT_URI, PROG)
    parser.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        help=f"model-store name or path to a .gguf file (default {DEFAULT_MODEL})",
    )
    parser.add_argument("--cache-dir", type=Path, help="model store directory")
    parser.add_argument(
        "--model-alias", help="model id the endpoint reports (default: the model name)"
    )
    parser.add_argument(
        "--threads",
        default=AUTO,
        help=f"CPU threads for prompt processing and generation: a number, or '{AUTO}' "
        "(default): up to every CPU, as many as other processes leave free, chosen again "
        "for every batch the model evaluates",
    )
    parser.add_argument("--ctx", type=int, default=4096, help="context size in tokens")
    parser.add_argument("--batch", type=int, default=512, help="prompt batch size in tokens")
    parser.add_argument(
        "--chat-format",
        default=DEFAULT_CHAT_FORMAT,
        help=f"llama-cpp-python chat format (default {DEFAULT_CHAT_FORMAT}: structured, "
        "grammar-constrained tool calls)",
    )
    parser.add_argument(
        "--prompt-cache-mb",
        type=int,
        default=0,
        help="also keep snapshots of recent prompt states in RAM (MB) so that several "
        "alternating prompt prefixes stay warm; 0 (default) keeps only the live KV cache, "
        "which already reuses the prefix shared with the previous request",
    )
    parser.add_argument(
        "--grammar-sampling",
        choices=get_args(GrammarSampling),
        default=DEFAULT_GRAMMAR_SAMPLING,
        help="how grammar- and JSON-schema-constrained replies are sampled: 'lazy' (default) "
        "checks the model's choice against the grammar and constrains the whole vocabulary "
        "only when the grammar rejects it, as llama.cpp does; 'full' constrains the whole "
        "vocabulary for every token, as llama-cpp-python does",
    )
    parser.add_argument(
        "--read-timeout",
        type=float,
        default=DEFAULT_READ_TIMEOUT_S,
        help="seconds a request may take to arrive whole (headers and body) before the "
        f"server answers 408 and closes the connection (default {DEFAULT_READ_TIMEOUT_S:g})",
    )
    parser.add_argument(
        "--api-key",
        default=os.environ.get(API_KEY_ENV),
        help=f"require this bearer token (default: ${API_KEY_ENV}, none)",
    )
    return parser


def _parse_uri(uri: str) -> tuple[str, int]:
    parsed = urlparse(uri)
    if parsed.scheme != "tcp" or not parsed.hostname:
        raise SettingsError(f"--uri {uri!r} must look like tcp://HOST:PORT")
    try:
        port = parsed.port
    except ValueError:
        port = None
    if port is None:
        raise SettingsError(f"--uri {uri!r} needs a port (0 picks a free one)")
    return parsed.hostname, port


def _model_name(model: str, path: Path, alias: str | None) -> str:
    if alias:
        return alias
    return path.stem if model.endswith(".gguf") or os.sep in model else model


def _is_gguf(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(4) == b"GGUF"
    except OSError:
        return False


def settings_from_args(args: argparse.Namespace) -> LlmSettings:
    """Check every setting before anything slow happens; raise SettingsError."""
    host, port = _parse_uri(args.uri)
    try:
        threads = thread_budget(str(args.threads))
    except argparse.ArgumentTypeError as err:
        raise SettingsError(f"--threads: {err}") from None
    if not MIN_CTX <= args.ctx <= MAX_CTX:
        raise SettingsError(f"--ctx {args.ctx}: must be between {MIN_CTX} and {MAX_CTX}")
    if not 1 <= args.batch <= args.ctx:
        raise SettingsError(f"--batch {args.batch}: must be between 1 and --ctx ({args.ctx})")
    if not 0 < args.read_timeout <= MAX_READ_TIMEOUT_S:
        raise SettingsError(
            f"--read-timeout {args.read_timeout}: must be above 0 and at most {MAX_READ_TIMEOUT_S}"
        )
    if args.prompt_cache_mb < 0:
        raise SettingsError(f"--prompt-cache-mb {args.prompt_cache_mb}: must be 0 or more")
    _check_chat_format(args.chat_format)
    try:
        path = resolve_model(args.model, ModelStore(args.cache_dir))
    except ModelStoreError as err:
        raise SettingsError(str(err)) from None
    if path.is_dir() or not _is_gguf(path):
        raise SettingsError(f"--model {args.model}: {path.name} is not a GGUF model file")
    return LlmSettings(
        host=host,
        port=port,
        model_path=path,
        model_name=_model_name(args.model, path, args.model_alias),
        threads=threads,
        adaptive_threads=str(args.threads).strip().lower() == AUTO,
        ctx=args.ctx,
        batch=args.batch,
        chat_format=args.chat_format,
        prompt_cache_mb=args.prompt_cache_mb,
        grammar_sampling=args.grammar_sampling,
        api_key=args.api_key or None,
        zeroconf=args.zeroconf,
        read_timeout=args.read_timeout,
    )


def _check_chat_format(chat_format: str) -> None:
    from llama_cpp.llama_chat_format import LlamaChatCompletionHandlerRegistry

    known = LlamaChatCompletionHandlerRegistry._chat_handlers
    if chat_format not in known:
        raise SettingsError(
            f"--chat-format {chat_format!r} is unknown; e.g. {DEFAULT_CHAT_FORMAT}, chatml, "
            "qwen, llama-3"
        )


def llama_settings(settings: LlmSettings, debug: bool) -> tuple[ServerSettings, ModelSettings]:
    """The llama-cpp-python server settings for one model, tuned for the think path."""
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    server = ServerSettings(
        host=settings.host,
        port=settings.port,
        api_key=settings.api_key,
        # Queue concurrent requests instead of cutting off a reply that is streaming.
        interrupt_requests=False,
    )
    model = ModelSettings(
        model=str(settings.model_path),
        model_alias=settings.model_name,
        n_ctx=settings.ctx,
        n_batch=settings.batch,
        n_ubatch=settings.batch,
        n_threads=settings.threads,
        n_threads_batch=settings.threads,
        chat_format=settings.chat_format,
        # Logits for every prompt token are only needed for logprobs; keeping them costs
        # n_ctx x vocabulary floats (GBs for Qwen) and slows every prompt-state snapshot.
        logits_all=False,
        cache=settings.prompt_cache_mb > 0,
        cache_type="ram",
        cache_size=settings.prompt_cache_mb << 20,
        use_mlock=False,
        verbose=debug,
    )
    return server, model
