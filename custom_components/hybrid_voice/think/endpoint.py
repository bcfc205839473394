"""Checks that the think-path endpoint is an OpenAI-compatible chat server.

No Home Assistant import: the config flow and the set-up both call it with a client
they built, and tests call it against real local HTTP servers.
"""

from __future__ import annotations

import openai


class EndpointError(Exception):
    """The endpoint cannot serve the think path; `reason` is a translation key."""

    reason = "unknown"


class EndpointUnreachable(EndpointError):
    """Nothing answers at the URL (refused, timed out, DNS), or only with 5xx errors."""

    reason = "cannot_connect"


class EndpointNotCompatible(EndpointError):
    """Something answers, but not with the OpenAI API (e.g. a web page)."""

    reason = "not_openai_compatible"


class EndpointAuthFailed(EndpointError):
    """The endpoint wants a different API key."""

    reason = "invalid_auth"


def normalize_url(url: str) -> str:
    """The base URL as stored: no trailing slash, `/v1` kept as typed."""
    return url.strip().rstrip("/")


async def async_list_models(client: openai.AsyncOpenAI, seconds: float) -> list[str]:
    """The model ids the endpoint serves, sorted; raise an `EndpointError` subclass."""
    try:
        page = await client.with_options(timeout=seconds, max_retries=0).models.list()
        models = [model.id for model in page.data]
    except openai.AuthenticationError as err:
        raise EndpointAuthFailed(str(err)) from err
    except (openai.APIConnectionError, openai.InternalServerError, TimeoutError) as err:
        # 5xx: a model server that is still loading its model, or a proxy without one.
        raise EndpointUnreachable(str(err)) from err
    except (openai.OpenAIError, ValueError, TypeError, AttributeError) as err:
        raise EndpointNotCompatible(str(err)) from err
    if not all(isinstance(model, str) and model for model in models):
        raise EndpointNotCompatible("the model list has entries without an id")
    return sorted(models)
