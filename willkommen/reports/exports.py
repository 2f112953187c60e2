"""CSV and XLSX responses for the figures pages (one table per sheet; no client data).

CSV follows one convention per language, the one its spreadsheets expect when the file is opened:
where the decimal separator is a comma (German, French, ...) fields are separated by semicolons and
numbers written with a decimal comma; where it is a point (English) fields are separated by commas.
Dates stay ISO 8601 (every spreadsheet reads them); XLSX keeps numbers and dates as typed cells.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.formats import get_format

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_convention():
    """(field delimiter, decimal separator) for the active language."""
    decimal = get_format("DECIMAL_SEPARATOR") or "."
    return (";" if decimal == "," else ","), decimal


def csv_cell(value, decimal="."):
    if isinstance(value, bool) or value is None:
        return "" if value is None else value
    if isinstance(value, float | Decimal):
        return str(value).replace(".", decimal)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def csv_text(lines):
    delimiter, decimal = csv_convention()
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([csv_cell(value, decimal) for value in line] for line in lines)
    return out.getvalue()


def csv_response(lines, filename):
    """In the active language's convention, UTF-8 with BOM so Excel opens umlauts correctly."""
    response = HttpResponse("\ufeff" + csv_text(lines), content_type="text/csv; charset=utf-8")
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
