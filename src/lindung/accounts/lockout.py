"""How login attempts are counted by django-axes."""

USERNAME_LIMIT = 150


def attempted_username(request, credentials=None) -> str:
    """The username of a login attempt, cut to what a user name can be.

    Attempts are stored; a 5,000-character or NUL-laden name typed at the login page must
    count as a failed attempt, not break the write.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    name = str(source.get("username") or "")
    return name.replace("\x00", "")[:USERNAME_LIMIT]
