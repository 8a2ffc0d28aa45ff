"""Request rates of the REST API: per API key, per signed-in user, per address for anonymous
requests (which reach only the schema and its docs: everything else answers 401 before it is
counted). Rates are REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], set from the environment
(.env.example); a request over its rate answers 429 in the API's error shape with
Retry-After.

A fixed window per minute, counted with one cache increment: DRF's own throttles keep every
request's time in the cache and rewrite the whole list on each request, which at thousands of
requests a minute per key is far more work than the request itself. The price is that a
client may send up to twice its rate across the turn of a window.

Counters live in Django's default cache (local memory unless CACHES says otherwise), so with
several web processes each counts on its own.
"""

from __future__ import annotations

import math
from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from zerocarbon.accounts.actors import KeyActor


class _FixedWindowThrottle(SimpleRateThrottle):
    scope: str
    num_requests: int
    duration: int
    _window_end = 0.0
    _now = 0.0

    def get_rate(self) -> str:
        # Read per request, not once at import as DRF does: overridden settings apply.
        return str(api_settings.DEFAULT_THROTTLE_RATES[self.scope])

    def allow_request(self, request: Request, view: Any) -> bool:
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self._now = self.timer()
        window = int(self._now // self.duration)
        self._window_end = float((window + 1) * self.duration)
        counter = f"{self.key}:{window}"
        self.cache.add(counter, 0, timeout=self.duration + 1)
        try:
            count = int(self.cache.incr(counter))
        except ValueError:  # expired between add and incr: this request opens it again
            self.cache.set(counter, 1, timeout=self.duration + 1)
            count = 1
        return count <= self.num_requests

    def wait(self) -> float:
        return float(max(math.ceil(self._window_end - self._now), 1))


class ApiKeyRateThrottle(_FixedWindowThrottle):
    scope = "api_key"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        actor: object = request.user  # DRF's types know only users
        if not isinstance(actor, KeyActor):
            return None
        return self.cache_format % {"scope": self.scope, "ident": actor.key.prefix}


class UserRateThrottle(_FixedWindowThrottle):
    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        user: object = request.user  # DRF's types know only users
        if isinstance(user, KeyActor) or not getattr(user, "is_authenticated", False):
            return None
        return self.cache_format % {"scope": self.scope, "ident": getattr(user, "pk", None)}


class AnonRateThrottle(_FixedWindowThrottle):
    scope = "anon"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
