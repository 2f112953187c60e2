"""CSV and XLSX responses for the figures pages (one table per sheet; no client data)."""

import csv
import io

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_response(lines, filename):
    """Semicolon-separated, UTF-8 with BOM so Excel opens umlauts correctly."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(lines)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(sheets, filename):
    """``sheets``: (title, lines) pairs; titles are cut to Excel's 31 characters."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, lines in sheets:
        sheet = book.create_sheet(str(title)[:31])
        for line in lines:
            sheet.append(list(line))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
