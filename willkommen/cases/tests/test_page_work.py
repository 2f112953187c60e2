"""The case page's panels (rendered with the request, so the context processors run again for each) do not work
out the page frame again: the desk menu (about 40 reversed addresses) once per request."""

from willkommen.core import navigation


def test_the_desk_menu_is_worked_out_once_for_the_case_page_and_its_panels(staff_client, open_a_case, monkeypatch):
    case = open_a_case()
    calls = []
    original = navigation.desk_entries

    def counting(user):
        calls.append(user.pk)
        return original(user)

    monkeypatch.setattr(navigation, "desk_entries", counting)
    response = staff_client.get(f"/desk/cases/{case.pk}/")
    assert response.status_code == 200
    assert calls == [response.wsgi_request.user.pk]
    # the menu is on the page, with the addresses of this authority's desk
    assert 'href="/desk/cases/"' in response.content.decode()


def test_menu_addresses_follow_the_script_prefix():
    from django.urls import set_script_prefix

    try:
        set_script_prefix("/a/alpha/")
        with_prefix = navigation._url("cases:queue")
        set_script_prefix("/a/beta/")
        other = navigation._url("cases:queue")
    finally:
        set_script_prefix("/")
    assert with_prefix == "/a/alpha/desk/cases/"
    assert other == "/a/beta/desk/cases/"
    assert navigation._url("no-such:page") is None


def test_the_frame_is_worked_out_again_when_the_user_changes_within_a_request(rf, caseworker):
    from django.contrib.auth.models import AnonymousUser

    from willkommen.core.context_processors import base

    request = rf.get("/desk/")
    request.authority = None
    request.user = AnonymousUser()
    assert base(request)["desk_nav"] == []
    caseworker.is_verified = lambda: True  # signed in with the second factor in this request
    request.user = caseworker
    menu = base(request)["desk_nav"]
    assert {"name": "cases:queue", "url": "/desk/cases/"}.items() <= next(
        entry for entry in menu if entry["name"] == "cases:queue"
    ).items()
    assert base(request)["desk_nav"] is menu  # and kept for the rest of the request
