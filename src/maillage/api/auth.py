from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from maillage.core.models import ApiToken

LAST_USE_PRECISION = timedelta(minutes=1)


class BearerToken(HttpBearer):
    """Authenticate `Authorization: Bearer <token>` with a token from `maillage token create`."""

    def authenticate(self, request: HttpRequest, token: str):
        api_token = ApiToken.objects.find(token)
        if api_token is None:
            return None
        # Tell when a token was last used to the minute: a write on every request would cost
        # more than many a request itself.
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USE_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


class OptionalBearerToken(BearerToken):
    """Let anonymous callers through, but refuse a token that is sent and wrong."""

    def __call__(self, request: HttpRequest):
        if not request.headers.get(self.header):
            return True
        return super().__call__(request)


bearer = BearerToken()
optional_bearer = OptionalBearerToken()
