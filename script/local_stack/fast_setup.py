"""The agent's optional cloud fast path, set through its options flow as a user would.

With `OPENAI_API_KEY` the fast path talks to OpenAI's Realtime API; with
`--realtime-standin` to the local stand-in (`python -m bench.realtime_standin`);
with neither, the agent is local only. Only a change of that choice runs the flow.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from .ha_api import HomeAssistantApi, HomeAssistantError
from .home_setup import SetupRecord

OPENAI_URL = "https://api.openai.com/v1"
STANDIN_KEY = "standin-key"  # the stand-in accepts any key


def wanted_cloud(openai_key: str | None, standin_port: int | None) -> tuple[str, str] | None:
    """(Realtime base URL, key) the fast path should use, or None for local only."""
    if standin_port is not None:
        return f"http://127.0.0.1:{standin_port}/v1", STANDIN_KEY
    if openai_key:
        return OPENAI_URL, openai_key
    return None


def _fingerprint(cloud: tuple[str, str] | None) -> str:
    """What the record keeps: the URL and a hash of the key (never the key)."""
    if cloud is None:
        return "local only"
    url, key = cloud
    return f"{url} {hashlib.sha256(key.encode()).hexdigest()[:12]}"


def form_defaults(form: dict[str, Any]) -> dict[str, Any]:
    """The values a form shows, from its serialized schema."""
    values: dict[str, Any] = {}
    for field in form.get("data_schema") or []:
        if "default" in field:
            values[field["name"]] = field["default"]
        elif (suggested := (field.get("description") or {}).get("suggested_value")) is not None:
            values[field["name"]] = suggested
    return values


async def async_set_fast_path(
    api: HomeAssistantApi,
    record: SetupRecord,
    entry_id: str,
    cloud: tuple[str, str] | None,
    announce: Callable[[str], None],
) -> None:
    """Point the agent's fast path at `cloud` (or none) if it is not already."""
    fingerprint = _fingerprint(cloud)
    known = record.get("fast_path")
    if (known or {}).get("fingerprint", "local only") == fingerprint:
        return
    form = await api.rest("POST", "/api/config/config_entries/options/flow", {"handler": entry_id})
    if form.get("type") != "form":
        raise HomeAssistantError(f"the agent's options did not open: {form}")
    answer = form_defaults(form)
    answer.pop("openai_api_key", None)
    if cloud is not None:
        answer["realtime_base_url"], answer["openai_api_key"] = cloud
        answer["routing"] = "auto"
    flow_path = f"/api/config/config_entries/options/flow/{form['flow_id']}"
    result = await api.rest("POST", flow_path, answer)
    if result.get("type") != "create_entry":
        await api.rest("DELETE", flow_path)
        raise HomeAssistantError(f"the fast path was refused: {result.get('errors')}")
    record.put("fast_path", fingerprint=fingerprint)
    announce(f"fast path: {cloud[0] if cloud else 'off (local only)'}")
