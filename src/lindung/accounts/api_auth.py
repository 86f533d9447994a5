"""Bearer-token authentication for the HTTP API (``Authorization: Bearer <token>``)."""

from ninja.security import HttpBearer

from lindung.accounts.services import authenticate_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user
