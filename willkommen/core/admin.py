class AuthorityScopedAdmin:
    """Admin mixin: an authority's administrator sees and edits only rows of their own authority."""

    authority_field = "authority"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{self.authority_field: request.user.authority_id})

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and hasattr(obj, "authority_id"):
            obj.authority_id = request.user.authority_id
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if not request.user.is_superuser and db_field.name != "authority":
            model = db_field.remote_field.model
            if any(f.name == "authority" for f in model._meta.get_fields()):
                field.queryset = field.queryset.filter(authority_id=request.user.authority_id)
        return field
