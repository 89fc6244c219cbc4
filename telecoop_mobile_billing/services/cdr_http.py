# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pull usage records from the host operator's HTTP endpoint, page by page.

``GET <base>/usage?cursor=<cursor>&limit=<n>`` with ``Authorization: Bearer
<key>`` answers ``{"records": [...], "next_cursor": "<cursor>" | null}``.
"""

import time

import requests


class CdrHttpError(Exception):
    """A page could not be fetched after all retries."""


class _Retryable(Exception):
    """A failure worth another attempt (server error, throttling, cut answer)."""


def fetch_page(session, base_url, api_key, cursor, limit, timeout=30, retries=3, backoff=0.5):
    """Fetch one page, retrying a failed attempt; return ``(records, next_cursor)``.

    Connection errors, timeouts, 5xx and 429 answers are retried ``retries``
    times with an exponential backoff; other errors raise at once.
    """
    url = base_url.rstrip("/") + "/usage"
    params = {"limit": limit}
    if cursor:
        params["cursor"] = cursor
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
    attempt = 0
    while True:
        try:
            response = session.get(url, params=params, headers=headers, timeout=timeout)
            if response.status_code >= 500 or response.status_code == 429:
                raise _Retryable(f"HTTP {response.status_code} on cursor {cursor!r}")
            if response.status_code != 200:
                raise CdrHttpError(f"HTTP {response.status_code} on cursor {cursor!r}")
            try:
                payload = response.json()
            except ValueError:
                raise _Retryable(f"invalid JSON on cursor {cursor!r}") from None
            records = payload.get("records") if isinstance(payload, dict) else None
            if not isinstance(records, list):
                raise CdrHttpError(f"no record list in the answer for cursor {cursor!r}")
            return records, payload.get("next_cursor") or None
        except (requests.ConnectionError, requests.Timeout, _Retryable) as error:
            attempt += 1
            if attempt > retries:
                raise CdrHttpError(f"{error} (after {retries} retries)") from error
            time.sleep(backoff * 2 ** (attempt - 1))


def iter_pages(base_url, api_key, cursor=None, limit=1000, timeout=30, retries=3, backoff=0.5):
    """Yield ``(cursor, records, next_cursor)`` until ``next_cursor`` is null."""
    with requests.Session() as session:
        while True:
            records, next_cursor = fetch_page(
                session, base_url, api_key, cursor, limit, timeout, retries, backoff
            )
            yield cursor, records, next_cursor
            if not next_cursor:
                return
            cursor = next_cursor
