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
