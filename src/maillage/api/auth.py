from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from maillage.core.models import ApiToken


class BearerToken(HttpBearer):
    """Authenticate `Authorization: Bearer <token>` with a token from `maillage token create`."""

    def authenticate(self, request: HttpRequest, token: str):
        api_token = ApiToken.objects.find(token)
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
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
