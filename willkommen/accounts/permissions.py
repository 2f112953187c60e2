from rest_framework.permissions import BasePermission


class IsVerifiedStaff(BasePermission):
    """Staff API access: a token, or a session that passed the second factor, at the request's authority."""

    capability = "desk"

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated) or user.is_superuser and request.authority is None:
            return False
        if request.authority is None or user.authority_id != request.authority.id:
            return False
        if getattr(request, "auth", None) is None and not (hasattr(user, "is_verified") and user.is_verified()):
            return False
        capability = getattr(view, "required_capability", self.capability)
        return user.can(capability)
