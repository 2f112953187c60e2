from rest_framework.permissions import SAFE_METHODS, BasePermission


def view_room(view):
    """The room a REST view belongs to (``willkommen.<room>.api``), or ``None``."""
    parts = type(view).__module__.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "willkommen" else None


class IsVerifiedStaff(BasePermission):
    """Staff API access at the request's authority: a staff session that passed the second factor, or
    an integration account's token whose scopes cover this room (reading, or writing for other methods).
    Then the view's capability (``required_capability``, default ``desk``) as on the desk."""

    capability = "desk"

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated) or request.authority is None:
            return False
        if user.authority_id != request.authority.id:
            return False
        from .models import ApiToken

        token = getattr(request, "auth", None)
        if isinstance(token, ApiToken):
            if not token.allows(view_room(view), write=request.method not in SAFE_METHODS):
                return False
        elif user.is_integration or not (hasattr(user, "is_verified") and user.is_verified()):
            return False
        capability = getattr(view, "required_capability", self.capability)
        return user.can(capability)
