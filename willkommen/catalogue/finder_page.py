"""The finder on a page: checklist, booking and applying online each pass their Anliegen and where a chosen
one leads; ``catalogue/_finder.html`` renders what ``context`` returns (a GET form, no JavaScript needed)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import finder, next_steps, selectors

MAX_QUERY = 100
OPEN_LIST_UP_TO = 4


def entries(anliegen_list):
    """Finder entries for Anliegen whose public texts are prefetched (``selectors.anliegen_list``)."""
    rows = []
    for anliegen in anliegen_list:
        texts = {}
        for text in sorted(anliegen.texts.all(), key=lambda t: t.version):
            if text.status == "public":
                texts[text.language] = (text.title, text.summary)
        rows.append(
            finder.Entry(
                slug=anliegen.slug,
                legal_basis=anliegen.legal_basis,
                residence_kind=anliegen.residence_kind,
                order=anliegen.order,
                texts=texts,
                ref=anliegen,
            )
        )
    return rows


def _row(request, entry, language, link, available):
    anliegen = entry.ref
    row = {
        "slug": entry.slug,
        "title": entry.title(language),
        "summary": selectors.summary(anliegen, language),
        "legal_basis": entry.legal_basis,
        "href": link(anliegen) if available(anliegen) else "",
    }
    if not row["href"]:
        others = [step for step in next_steps.for_anliegen(request, anliegen, "") if step["url"] != link(anliegen)]
        checklist = reverse("catalogue:questions", args=[entry.slug])
        row["others"] = others or [{"label": _("What do I need to bring?"), "url": checklist}]
    return row


def context(request, anliegen_list, link, available=None, language="de", unavailable_note=""):
    """The finder's template context. ``link(anliegen)``: where a chosen Anliegen leads on this page;
    ``available(anliegen)``: whether it can be done here (else the row names the other ways in, with
    ``unavailable_note``)."""
    available = available or (lambda anliegen: True)
    rows = entries(anliegen_list)
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    chosen = request.GET.get("situation") or ""
    groups = finder.by_situation(rows)
    labels = {key: label for key, label, _rows in groups}
    results, heading = None, ""
    if query:
        results = finder.search(rows, query, language)
        heading = _("Results for “%(query)s”") % {"query": query}
    elif chosen in labels:
        results = next(group_rows for key, _label, group_rows in groups if key == chosen)
        heading = str(labels[chosen])

    def render(found):
        return [_row(request, entry, language, link, available) for entry in found]

    return {
        "query": query,
        "chosen": chosen if chosen in labels else "",
        "heading": heading,
        "results": None if results is None else render(results),
        "situations": [{"key": key, "label": label} for key, label, _rows in groups],
        "by_legal_basis": render(finder.by_legal_basis(rows)),
        "unavailable_note": unavailable_note,
        "open_list": len(rows) <= OPEN_LIST_UP_TO,  # a short catalogue is shown at once
    }
