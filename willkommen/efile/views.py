"""Desk pages of the e-file: the whole file on one screen, a viewer, download, verification, search.

Every view and download is written to the audit log with its purpose.
"""

import datetime as dt

from csp.decorators import csp_replace
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from willkommen.accounts.decorators import desk_view
from willkommen.audit.services import record, record_read
from willkommen.core import storage
from willkommen.core.replica import heavy_reads
from willkommen.core.storage import presigned_downloads

from . import selectors, services
from .models import Document
from .permissions import visible_persons

PURPOSE = "case work"


def _person(request, person_id):
    person = visible_persons(request.user, request.authority).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def _document(request, pk):
    document = (
        Document.objects.filter(
            authority=request.authority, pk=pk, person__in=visible_persons(request.user, request.authority)
        )
        .select_related("person", "verified_by", "case", "uploaded_by")
        .first()
    )
    if document is None:
        raise Http404
    return document


@desk_view("clients.view")
def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    results = []
    if query:
        with heavy_reads():
            results = list(
                selectors.search(request.authority, query, persons=visible_persons(request.user, request.authority))
            )
        record_read(request, *results, action="search", purpose="file search", detail=query)
    return render(request, "efile/search.html", {"query": query, "results": results})


@desk_view("clients.view")
def person_file(request, person_id):
    person = _person(request, person_id)
    documents = selectors.all_documents_for_person(request.authority, person).select_related("verified_by", "case")
    record_read(request, person, purpose=PURPOSE, detail="file overview")
    return render(
        request,
        "efile/file.html",
        {
            "person": person,
            "current": [d for d in documents if d.is_current],
            "earlier": [d for d in documents if not d.is_current],
            "person_file": selectors.person_file(request.authority, person),
        },
    )


@desk_view("clients.view")
def document(request, pk):
    doc = _document(request, pk)
    record_read(request, doc, purpose=PURPOSE, detail="viewer")
    return render(
        request,
        "efile/document.html",
        {
            "document": doc,
            "can_verify": request.user.can("cases.work"),
            "versions": selectors.all_documents_for_person(request.authority, doc.person).filter(
                document_type=doc.document_type
            ),
        },
    )


def _damaged(request):
    return render(
        request,
        "core/error.html",
        {
            "title": _("File damaged"),
            "message": _(
                "The stored file does not match the checksum recorded when it was received. It is not shown; "
                "the administrators have been informed."
            ),
        },
        status=409,
    )


@desk_view("clients.view")
def content(request, pk):
    doc = _document(request, pk)
    download = request.GET.get("download") == "1"
    if download and presigned_downloads():
        # Large-installation mode: after the checks above, a redirect to a signed URL of the private bucket.
        record_read(request, doc, action="download", purpose=PURPOSE, detail="file content (signed URL)")
        extension = doc.original_name.rsplit(".", 1)[-1]
        return storage.download(
            doc.file.name, doc.sha256, content_type=doc.content_type, filename=f"{doc.pk}.{extension}"
        )
    try:
        data = services.read_content(doc)
    except storage.DamagedFile:
        return _damaged(request)
    except OSError:
        raise Http404 from None
    record_read(request, doc, action="download" if download else "read", purpose=PURPOSE, detail="file content")
    response = HttpResponse(data, content_type=doc.content_type)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{doc.pk}.{doc.original_name.rsplit(".", 1)[-1]}"'
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@desk_view("clients.view")
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def preview(request, pk):
    """A PDF of the file shown inline in the document page's frame (same origin only), so staff read it
    without leaving the file. Only PDFs (their type checked on upload); other files 404 here. The PDF runs
    in the browser's PDF viewer, never as a page of this site (``nosniff``); every view is audited."""
    doc = _document(request, pk)
    if doc.content_type != "application/pdf":
        raise Http404
    try:
        data = services.read_content(doc)
    except storage.DamagedFile:
        return _damaged(request)
    except OSError:
        raise Http404 from None
    record_read(request, doc, purpose=PURPOSE, detail="inline preview")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@desk_view("cases.work")
@require_POST
def verify(request, pk):
    doc = _document(request, pk)
    valid_until = None
    raw = request.POST.get("valid_until", "").strip()
    if raw:
        try:
            valid_until = dt.date.fromisoformat(raw)
        except ValueError:
            return render(
                request,
                "core/error.html",
                {"title": _("Invalid date"), "message": _("Please enter the date as YYYY-MM-DD.")},
                status=400,
            )
    services.verify_document(doc, request.user, valid_until=valid_until, request=request)
    messages.success(
        request,
        _("%(document)s: the original is recorded as verified by you.") % {"document": doc.type_label},
    )
    return redirect("efile:document", pk=doc.pk)


@desk_view("clients.view")
def export(request, person_id):
    """The copy of the person's data (GDPR Art. 15): every room's section, through the clients room's registry."""
    from willkommen.clients.subject_access import export_file

    person = _person(request, person_id)
    handle = export_file(request.authority, person, user=request.user)
    record(
        authority=request.authority,
        action="export",
        person_id=person.pk,
        obj=person,
        request=request,
        purpose="GDPR Art. 15 copy",
    )
    response = FileResponse(
        handle, as_attachment=True, filename=f"file-{person.pk}.zip", content_type="application/zip"
    )
    response["Cache-Control"] = "no-store"
    return response
