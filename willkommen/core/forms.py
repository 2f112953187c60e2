"""Form helpers shared by the rooms."""


def form_status(form):
    """HTTP status for a page showing ``form``: 400 when submitted input was refused, else 200."""
    return 400 if form.is_bound and form.errors else 200
