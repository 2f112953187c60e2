"""E-file at scale: full-text search p50/p95 over 1,000,000 generated documents (× BENCH_SCALE) on
PostgreSQL with German stemming and the GIN index, against a baseline authority with 1,000 documents
in the same database; and uploads per second of 1 MB files through the full checks (type by content,
PDF parsing, image re-encoding, checksum, fsync, read-back) against a plain storage write.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wk_bench_efile BENCH=efile make bench
    BENCH_SCALE=0.01 ...   # 10,000 documents, a quick run
    BENCH_REPEAT (20) searches per query, BENCH_UPLOADS (30) uploads per file type,
    BENCH_SEED_WORKERS (CPU count, at most 4) parallel connections for seeding and index builds,
    BENCH_MAINTENANCE_WORK_MEM (2GB) for the index builds after the load

PostgreSQL only (on another database it prints why and does nothing). Seeding happens in PostgreSQL:
INSERT ... SELECT generate_series, 5,000 documents per statement on parallel connections, German text of
realistic size (40-400 words, like the text layer of a scanned form or a letter) assembled in SQL: 5 %
of the words come from a list of 135 words of the field, the rest from a vocabulary of 200,000
pseudo-words (2-4 syllables, frequent words short) drawn with a Zipf distribution, so a field word occurs
in about one document in thirteen, two given field words together in 0.7 % and three in 0.07 %. The
search vector is computed in the same statement exactly as the application does (checked on samples
against efile.services). A large load drops the table's secondary indexes (GIN included) and builds them
afterwards, then runs VACUUM ANALYZE. Each statement is recorded in bench_efile_seeded, so an
interrupted seeding resumes; seeding is skipped when the data are already there.
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
    os.environ["DATABASE_URL"] = (
        os.environ.get("DATABASE_URL") or os.environ.get("BENCH_EFILE_DATABASE_URL") or DEFAULT_URL
    )
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


SYLLABLES = (
    "ber ge un ter lan mo ka rich stein hau fel dor wal sen mar ti no lu zen bra "
    "schu kel fra vi ho gra pe dan mu ri ost ach bel kur lin sa tor wen eg im"
).split()
VOCABULARY = 200_000  # pseudo-words, drawn by rank with a Zipf (s = 1) distribution
FIELD_SHARE = 0.05  # share of words taken (uniformly) from WORDS
BATCH = 5_000  # documents per INSERT ... SELECT (one transaction each, recorded, so an interrupted seeding resumes)
DROP_INDEXES_FROM = 10_000  # larger loads (and larger than the table) drop the secondary indexes, rebuilt after
SEED_WORKERS = int(os.environ.get("BENCH_SEED_WORKERS", str(min(4, os.cpu_count() or 1))))
# the GIN build at 1,000,000 documents accumulates about 1.6 GB of entries; with less it flushes midway (slower)
INDEX_MEMORY = os.environ.get("BENCH_MAINTENANCE_WORK_MEM", "2GB")
DOCUMENT_TYPES = [
    "passport",
    "photo",
    "employment_contract",
    "rent_contract",
    "payslip",
    "letter",
    "other",
    "health_insurance",
    "marriage_certificate",
    "language_certificate",
]

# Generated text: one row per word, a Zipf rank r (1..VOCABULARY, P(r) ~ 1/r) spelled as 2-4 syllables (frequent
# words are short), or with probability FIELD_SHARE a word of the field. The search vector is computed exactly
# as efile.search_vector does (title A, file name B, text C, and B: the person's names and the type's labels,
# config german); {about} is filled in by _documents_sql().
DOCUMENTS_SQL = """
INSERT INTO efile_document (authority_id, person_id, case_id, document_type, title, source, version, previous_id,
    is_current, file, original_name, content_type, size, sha256, scan_status, text, search_vector, valid_from,
    valid_until, verified_by_id, verified_at, uploaded_by_id, uploaded_at)
SELECT %(authority)s, %(first_person)s + (g %% %(persons)s), NULL, (%(types)s::text[])[1 + g %% 10], '', 'upload', 1,
    NULL, true, 'bench/' || g || '.pdf', 'scan-' || g || '.pdf', 'application/pdf', 200000 + g %% 800000,
    md5(g::text) || md5(g::text), 'clean', body,
    setweight(to_tsvector('german'::regconfig, ''), 'A')
      || setweight(to_tsvector('german'::regconfig, 'scan-' || g || '.pdf'), 'B')
      || setweight(to_tsvector('german'::regconfig, body), 'C')
      || {about},
    NULL, NULL, NULL, NULL, NULL,
    date_trunc('day', now()) - interval '3650 days' + interval '3650 days' * (g::float8 / %(documents)s)
FROM (
    SELECT g, (
        SELECT string_agg(
            CASE WHEN random() < %(field_share)s THEN w[1 + floor(random() * array_length(w, 1))::int]
                 ELSE s[1 + r %% 40] || s[1 + r / 40 %% 40]
                      || CASE WHEN r >= 1600 THEN s[1 + r / 1600 %% 40] ELSE '' END
                      || CASE WHEN r >= 64000 THEN s[1 + r / 64000 %% 40] ELSE '' END
            END, ' ')
        FROM (SELECT floor(exp(random() * ln(%(vocabulary)s + 1)))::int AS r
              FROM generate_series(1, 40 + (g::bigint * 7919) %% 361)) AS words
    ) AS body
    FROM generate_series(%(first)s, %(last)s) AS g, (SELECT %(field)s::text[] AS w, %(syllables)s::text[] AS s) AS v
) AS generated
"""


def _documents_sql():
    from willkommen.efile.search_vector import about_sql

    about = about_sql("(%(first_person)s + (g %% %(persons)s))", "NULL::bigint", "((%(types)s::text[])[1 + g %% 10])")
    return DOCUMENTS_SQL.replace("{about}", about)


def _bookkeeping(cursor):
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_efile_seeded (authority_id bigint, first_g int, last_g int,"
        " PRIMARY KEY (authority_id, first_g))"
    )
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_efile_dropped_index (name text PRIMARY KEY, definition text)")


def _drop_indexes(cursor):
    """Drop the secondary indexes of efile_document (GIN and btree), remembering their definitions."""
    cursor.execute(
        """
        INSERT INTO bench_efile_dropped_index (name, definition)
        SELECT i.relname, pg_get_indexdef(i.oid)
          FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
         WHERE x.indrelid = 'efile_document'::regclass AND NOT x.indisprimary
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        ON CONFLICT (name) DO NOTHING
        """
    )
    cursor.execute("SELECT name FROM bench_efile_dropped_index")
    for (name,) in cursor.fetchall():
        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


_lock = __import__("threading").Lock()


def _in_threads(jobs):
    """Run callables on SEED_WORKERS threads, each with its own database connection."""
    import threading

    from django.db import connection

    jobs, errors = list(jobs), []

    def worker():
        try:
            while True:
                with _lock:
                    if not jobs or errors:
                        return
                    job = jobs.pop(0)
                job()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(max(1, SEED_WORKERS))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _restore_indexes():
    """Recreate the indexes dropped for a load (also after an interrupted run), the GIN index first."""
    from django.db import connection

    with connection.cursor() as cursor:
        _bookkeeping(cursor)
        cursor.execute(
            "SELECT name, definition FROM bench_efile_dropped_index ORDER BY position('USING gin' in definition) = 0"
        )
        dropped = cursor.fetchall()
    if not dropped:
        return 0.0
    started = time.perf_counter()

    def build(name, definition):
        def job():
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('maintenance_work_mem', %s, false)", [INDEX_MEMORY])
                cursor.execute("SELECT to_regclass(%s)", [name])
                if cursor.fetchone()[0] is None:
                    cursor.execute(definition)
                cursor.execute("DELETE FROM bench_efile_dropped_index WHERE name = %s", [name])

        return job

    _in_threads(build(name, definition) for name, definition in dropped)
    return time.perf_counter() - started


def _seed(authority, documents, persons):
    """Insert ``persons`` persons and ``documents`` documents with generated German text (PostgreSQL).

    Returns the seconds spent per phase; nothing is done when the data are already there."""
    from django.db import connection

    from willkommen.clients.models import Person
    from willkommen.efile.models import Document

    phases = {}
    if Document.objects.filter(authority=authority).count() >= documents:
        _restore_indexes()  # if a run was interrupted while rebuilding them
        return phases
    started = time.perf_counter()
    with connection.cursor() as cursor:
        _bookkeeping(cursor)
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
        cursor.execute(
            f"SELECT min(id), max(id), count(*) FROM {Person._meta.db_table} WHERE authority_id = %s", [authority.pk]
        )
        low, high, count = cursor.fetchone()
        if high - low + 1 != count:
            raise RuntimeError("bench persons are not numbered contiguously; drop the benchmark database")
        cursor.execute("SELECT first_g, last_g FROM bench_efile_seeded WHERE authority_id = %s", [authority.pk])
        done = dict(cursor.fetchall())
        if not done and Document.objects.filter(authority=authority).exists():
            raise RuntimeError("documents seeded by an older version of this benchmark; drop the benchmark database")
        todo = []
        for first in range(1, documents + 1, BATCH):
            last = min(documents, first + BATCH - 1)
            if done.get(first, first - 1) < last:
                todo.append((first, done.get(first, first - 1) + 1, last))
        missing = sum(last - begin + 1 for _first, begin, last in todo)
        cursor.execute(f"SELECT count(*) FROM {Document._meta.db_table}")
        if missing >= max(DROP_INDEXES_FROM, cursor.fetchone()[0]):
            _drop_indexes(cursor)  # (again, if an interrupted load left them dropped)
        else:
            _restore_indexes()
    phases["persons_and_setup_s"] = round(time.perf_counter() - started, 1)
    params = {
        "authority": authority.pk,
        "first_person": low,
        "persons": count,
        "documents": documents,
        "types": DOCUMENT_TYPES,
        "field_share": FIELD_SHARE,
        "vocabulary": VOCABULARY,
        "field": WORDS,
        "syllables": SYLLABLES,
    }
    progress = {"documents": documents - missing}

    def load(first, begin, last):
        def job():
            from django.db import connection, transaction

            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute(_documents_sql(), {**params, "first": begin, "last": last})
                cursor.execute(
                    "INSERT INTO bench_efile_seeded (authority_id, first_g, last_g) VALUES (%s, %s, %s)"
                    " ON CONFLICT (authority_id, first_g) DO UPDATE SET last_g = EXCLUDED.last_g",
                    [authority.pk, first, last],
                )
            with _lock:
                progress["documents"] += last - begin + 1
                print(f"  seeded {progress['documents']:,} / {documents:,} documents for {authority.slug}", flush=True)

        return job

    started = time.perf_counter()
    _in_threads(load(*batch) for batch in todo)
    phases["documents_s"] = round(time.perf_counter() - started, 1)
    phases["indexes_s"] = round(_restore_indexes(), 1)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # what autovacuum would do after a load; done now so that it does not run during the measurement
        cursor.execute(f"VACUUM (ANALYZE) {Document._meta.db_table}")
        cursor.execute(f"VACUUM (ANALYZE) {Person._meta.db_table}")
    phases["vacuum_analyze_s"] = round(time.perf_counter() - started, 1)
    phases["total_s"] = round(sum(phases.values()), 1)
    return phases


def _check_search_vectors(authority, samples=20):
    """The seeded search vectors equal what the application computes (services._update_search_vector)."""
    import random

    from django.db import transaction

    from willkommen.efile import services
    from willkommen.efile.models import Document

    ids = Document.objects.filter(authority=authority).order_by("pk").values_list("pk", flat=True)
    low, high = ids.first(), ids.last()
    rng = random.Random(7)
    with transaction.atomic():
        for _ in range(samples):
            doc = Document.objects.filter(authority=authority, pk__gte=rng.randint(low, high)).order_by("pk").first()
            seeded = Document.objects.filter(pk=doc.pk).values_list("search_vector", flat=True).get()
            services._update_search_vector(doc)
            computed = Document.objects.filter(pk=doc.pk).values_list("search_vector", flat=True).get()
            if seeded != computed:
                raise AssertionError(f"seeded search vector of document {doc.pk} differs from the application's")
        transaction.set_rollback(True)


def _percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered), p95


def _measure_search(authority):
    """p50/p95 per query, called as the desk search view calls it for the head of office (the visibility
    filter is a subquery over the authority's persons)."""
    from willkommen.clients.selectors import persons
    from willkommen.efile.selectors import search

    visible = persons(authority)
    result = {}
    for query in QUERIES:
        list(search(authority, query, persons=visible))  # warm up
        samples, hits = [], 0
        for _ in range(REPEAT):
            started = time.perf_counter()
            hits = len(list(search(authority, query, persons=visible)))
            samples.append((time.perf_counter() - started) * 1000)
        p50, p95 = _percentiles(samples)
        result[query] = {"p50_ms": round(p50, 2), "p95_ms": round(p95, 2), "hits_returned": hits}
    return result


def _count_matches(authority):
    """How many documents match each query (what the search has to choose its 50 from)."""
    from django.contrib.postgres.search import SearchQuery

    from willkommen.efile.models import Document

    return {
        query: Document.objects.filter(
            authority=authority, search_vector=SearchQuery(query, config="german", search_type="websearch")
        ).count()
        for query in QUERIES
    }


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
    url = os.environ.get("DATABASE_URL") or os.environ.get("BENCH_EFILE_DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        print(
            "The e-file benchmark needs PostgreSQL (full-text search with the GIN index, data generated in SQL):"
            f" DATABASE_URL={DEFAULT_URL} BENCH=efile make bench. Skipped for {url.split(':', 1)[0]}."
        )
        return
    _setup()
    from django.conf import settings
    from django.db import connection

    documents = int(1_000_000 * scale)
    big = _authority("bench-efile", "Bench E-Akte groß")
    base = _authority("bench-efile-base", "Bench E-Akte Basis")
    from willkommen.efile.selectors import RANKED_MATCHES

    report = {
        "vendor": connection.vendor,
        "documents": documents,
        "baseline_documents": 1000,
        "ranked_matches": RANKED_MATCHES,
        "seed_workers": SEED_WORKERS,
    }
    report["seed"] = _seed(big, documents, max(1000, documents // 10))
    _seed(base, 1000, 100)
    _check_search_vectors(big)
    report["matches"] = _count_matches(big)
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
