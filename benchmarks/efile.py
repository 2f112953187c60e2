"""E-file at scale: full-text search p50/p95 over 1,000,000 generated documents (× BENCH_SCALE) on
PostgreSQL with German stemming and the GIN index, against a baseline authority with 1,000 documents
in the same database; and uploads per second of 1 MB files through the full checks (type by content,
PDF parsing, image re-encoding, checksum, fsync, read-back) against a plain storage write.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_efile BENCH=efile make bench
    BENCH_SCALE=0.1 ...   # 100,000 documents

Seeding is INSERT ... SELECT generate_series with German text of realistic size (40-400 words, like
the text layer of a scanned form or a letter): 5 % of the words come from a list of 170 words of the
field, the rest from a skewed vocabulary of 200,000 tokens, so a common field word occurs in about one
document in twenty and a combination of rarer words in a few hundred. Seeding is skipped when the data
are already there.
"""

import io
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wk_bench_efile"
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
UPLOADS = int(os.environ.get("BENCH_UPLOADS", "30"))

WORDS = (
    "Aufenthaltserlaubnis Aufenthaltstitel Reisepass Personalausweis Arbeitsvertrag Arbeitgeber Arbeitnehmer "
    "Mietvertrag Wohnung Vermieter Krankenversicherung Versicherungsnachweis Gehaltsabrechnung Einkommen "
    "Sperrkonto Stipendium Immatrikulation Hochschule Studium Semester Zulassung Sprachzertifikat Deutschkurs "
    "Heiratsurkunde Geburtsurkunde Ehegatte Kinder Familiennachzug Niederlassungserlaubnis Rentenversicherung "
    "Beitragsmonate Einbürgerung Duldung Ausreise Passbeschaffung Fiktionsbescheinigung Antrag Bescheid "
    "Verlängerung Ausländerbehörde Bundesagentur Zustimmung Anerkennung Berufsabschluss Qualifikation Gehalt "
    "Blaue Karte Fachkraft Beschäftigung Meldebescheinigung Anschrift Straße Hausnummer Postleitzahl Stadt "
    "Bestätigung Nachweis Unterlagen Übersetzung beglaubigt Apostille Original Kopie Unterschrift Datum "
    "gültig bis ausgestellt am Behörde Konsulat Botschaft Visum Einreise Aufenthalt Verpflichtungserklärung "
    "Bürgschaft Lebensunterhalt Sozialleistungen Jobcenter Steuerbescheid Finanzamt Kontoauszug Bank "
    "Überweisung Miete Nebenkosten Quadratmeter Zimmer Schule Zeugnis Kindergarten Arzt Attest Krankheit "
    "Termin Vorsprache Sachbearbeitung Frist Eingang Entscheidung Gebühr Euro Zahlung Quittung Widerspruch "
    "Integrationskurs Orientierungskurs Leben Deutschland Test bestanden Prüfung Niveau Sprachkenntnisse "
    "Arbeitszeit Wochenstunden Probezeit unbefristet befristet Vollzeit Teilzeit Tätigkeit Ingenieur Pflege "
    "Krankenhaus Softwareentwickler Forschung Universität Professor Betreuer Doktorarbeit Promotion Stelle"
).split()
QUERIES = [
    "Arbeitsvertrag",  # common
    "Arbeitsverträge",  # stemmed form of a common word
    "Sperrkonto Stipendium",  # two words, both must occur
    "Apostille Heiratsurkunde",
    "Doktorarbeit Promotion Betreuer",  # rarer combination
    "Zebrastreifen",  # no hit
]


def _setup():
    os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_EFILE_DATABASE_URL", DEFAULT_URL))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
    os.environ.setdefault("HUEY_STORAGE", "memory")
    os.environ.setdefault("EMAIL_BACKEND", "locmem")
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        from benchmarks.cases import _create_database

        _create_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _authority(slug, name):
    from willkommen.tenancy.models import Authority

    authority, _ = Authority.objects.get_or_create(slug=slug, defaults={"name": name, "federal_state": "BY"})
    return authority


def _seed(authority, documents, persons):
    """Insert ``persons`` persons and ``documents`` documents with generated German text (PostgreSQL)."""
    from django.db import connection

    from willkommen.clients.models import Person
    from willkommen.efile.models import Document

    have = Document.objects.filter(authority=authority).count()
    if have >= documents:
        return 0.0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if not Person.objects.filter(authority=authority).exists():
            cursor.execute(
                f"""
                INSERT INTO {Person._meta.db_table} (authority_id, family_name, given_names, family_name_native,
                    given_names_native, birth_name, date_of_birth, place_of_birth, country_of_birth, sex, nationalities,
                    street, postal_code, city, email, phone, preferred_language, preferred_channel, interpreter_needed,
                    interpreter_language, name_key, created_at, updated_at)
                SELECT %s, 'Person' || g, 'Bench', '', '', '', DATE '1970-01-01' + (g %% 15000), '', '', 'x', '[]'::jsonb,
                    '', '', '', '', '', 'de', 'email', false, '', 'person' || g, now(), now()
                FROM generate_series(1, %s) AS g
                """,
                [authority.pk, persons],
            )
        cursor.execute(f"SELECT min(id), max(id) FROM {Person._meta.db_table} WHERE authority_id = %s", [authority.pk])
        low, high = cursor.fetchone()
        batch = 100_000
        for start in range(have, documents, batch):
            stop = min(documents, start + batch)
            cursor.execute(
                f"""
                WITH rows AS (
                    SELECT g,
                        %s::int + (g %% %s) AS person_id,
                        (ARRAY['passport','photo','employment_contract','rent_contract','payslip','letter','other',
                               'health_insurance','marriage_certificate','language_certificate'])[1 + g %% 10] AS dtype,
                        (SELECT string_agg(
                                    CASE WHEN random() < 0.05
                                         THEN w[1 + floor(random() * array_length(w, 1))::int]
                                         ELSE 'wort' || floor(200000 * power(random(), 3))::int
                                    END, ' ')
                           FROM generate_series(1, 40 + (g * 7919) %% 360) AS s, (SELECT %s::text[] AS w) AS words
                          WHERE g > 0) AS body
                    FROM generate_series(%s, %s) AS g
                )
                INSERT INTO {Document._meta.db_table} (authority_id, person_id, case_id, document_type, title, source,
                    version, previous_id, is_current, file, original_name, content_type, size, sha256, scan_status,
                    text, search_vector, valid_from, valid_until, verified_by_id, verified_at, uploaded_by_id,
                    uploaded_at)
                SELECT %s, person_id, NULL, dtype, '', 'upload', 1, NULL, true, 'bench/' || g || '.pdf',
                    'scan-' || g || '.pdf', 'application/pdf', 200000 + g %% 800000, md5(g::text) || md5(g::text), 'clean',
                    body,
                    setweight(to_tsvector('german'::regconfig, ''), 'A')
                      || setweight(to_tsvector('german'::regconfig, 'scan-' || g || '.pdf'), 'B')
                      || setweight(to_tsvector('german'::regconfig, body), 'C'),
                    NULL, NULL, NULL, NULL, NULL, now() - (g %% 3650) * interval '1 day'
                FROM rows
                """,
                [low, high - low + 1, WORDS, start + 1, stop, authority.pk],
            )
            print(f"  seeded {stop:,} / {documents:,} documents for {authority.slug}", flush=True)
        cursor.execute(f"ANALYZE {Document._meta.db_table}")
        cursor.execute(f"ANALYZE {Person._meta.db_table}")
    return time.perf_counter() - started


def _percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered), p95


def _measure_search(authority):
    from willkommen.efile.selectors import search

    result = {}
    for query in QUERIES:
        list(search(authority, query))  # warm up
        samples, hits = [], 0
        for _ in range(REPEAT):
            started = time.perf_counter()
            hits = len(list(search(authority, query)))
            samples.append((time.perf_counter() - started) * 1000)
        p50, p95 = _percentiles(samples)
        result[query] = {"p50_ms": round(p50, 2), "p95_ms": round(p95, 2), "hits_returned": hits}
    return result


def _one_mb_pdf():
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    lines = [
        f"BT /F1 9 Tf 20 {800 - (i % 90) * 9} Td (Zeile {i} Arbeitsvertrag Gehalt Euro) Tj ET" for i in range(17000)
    ]
    stream.set_data("\n".join(lines).encode()[: 1024 * 1024])
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _one_mb_jpeg():
    from PIL import Image

    noise = Image.effect_noise((900, 900), 60).convert("RGB")
    out = io.BytesIO()
    noise.save(out, format="JPEG", quality=92)
    return out.getvalue()


def _measure_uploads(authority):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from willkommen.clients.models import Person
    from willkommen.efile import services

    person = Person.objects.filter(authority=authority).first()
    payloads = {"pdf": _one_mb_pdf(), "jpeg": _one_mb_jpeg()}
    result = {}
    for kind, content in payloads.items():
        started = time.perf_counter()
        for i in range(UPLOADS):
            services.add_document(
                authority, person, SimpleUploadedFile(f"b{i}.{kind}", content), document_type="other", source="upload"
            )
        checked = UPLOADS / (time.perf_counter() - started)
        started = time.perf_counter()
        for i in range(UPLOADS):
            name = default_storage.save(f"bench-raw/{kind}-{i}", ContentFile(content))
            default_storage.delete(name)
        raw = UPLOADS / (time.perf_counter() - started)
        result[kind] = {
            "size_bytes": len(content),
            "uploads_per_second_checked": round(checked, 1),
            "uploads_per_second_plain_storage": round(raw, 1),
            "ratio_plain_to_checked": round(raw / checked, 1),
        }
    return result


def main():
    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    _setup()
    from django.conf import settings
    from django.db import connection

    documents = int(1_000_000 * scale)
    big = _authority("bench-efile", "Bench E-Akte groß")
    base = _authority("bench-efile-base", "Bench E-Akte Basis")
    report = {"vendor": connection.vendor, "documents": documents, "baseline_documents": 1000}
    if connection.vendor != "postgresql":
        print("The search benchmark needs PostgreSQL (DATABASE_URL=postgres://...); measuring uploads only.")
    else:
        report["seed_seconds"] = round(_seed(big, documents, max(1000, documents // 10)), 1)
        _seed(base, 1000, 100)
        report["search_large"] = _measure_search(big)
        report["search_baseline"] = _measure_search(base)
        report["p95_ratio_large_to_baseline"] = {
            q: round(report["search_large"][q]["p95_ms"] / max(report["search_baseline"][q]["p95_ms"], 0.01), 1)
            for q in QUERIES
        }
    with tempfile.TemporaryDirectory() as media:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
        }
        settings.CLAMD_SOCKET = ""
        settings.EFILE_OCR = False
        from django.db import transaction

        with transaction.atomic():
            report["uploads_1mb"] = _measure_uploads(base)
            transaction.set_rollback(True)  # keep the baseline authority at 1,000 documents
    print(json.dumps(report, indent=1, ensure_ascii=False))
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "efile.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
