"""AWS-style pagination: maxResults pages with an opaque nextToken."""
import base64
import json

from moto.ecs.exceptions import InvalidParameterException


def page(items, max_results, next_token, key=lambda item: item, limit=100):
    """Return (page, next_token) over items sorted by key.

    The token names the last key returned, so items added while paging are not skipped twice
    and a token from another call is rejected the way AWS rejects it.
    """
    if max_results is None:
        max_results = limit
    max_results = int(max_results)
    if max_results < 1 or max_results > limit:
        raise InvalidParameterException(
            f"maxResults must be between 1 and {limit}, got {max_results}."
        )
    ordered = sorted(items, key=key)
    start = 0
    if next_token:
        try:
            after = json.loads(base64.urlsafe_b64decode(next_token.encode()).decode())["after"]
        except Exception:
            raise InvalidParameterException("Invalid nextToken.")
        start = next((i for i, item in enumerate(ordered) if key(item) > after), len(ordered))
    chunk = ordered[start:start + max_results]
    token = None
    if start + max_results < len(ordered):
        token = base64.urlsafe_b64encode(json.dumps({"after": key(chunk[-1])}).encode()).decode()
    return chunk, token
