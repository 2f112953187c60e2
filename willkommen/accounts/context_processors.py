from .client_identity import current_identity, has_client_session


def client(request):
    """The signed-in client (if any), for the portal's header (``core/portal.html``) and its sign-out."""
    return {"client_identity": current_identity(request), "client_session": has_client_session(request)}
