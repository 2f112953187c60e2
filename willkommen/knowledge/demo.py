"""Demo data: three forms (tiny PDFs), three news items in all eight languages (one of them an old
closure no longer shown), three country notes, two work instructions (one published; the other
authority adopts it), six text blocks (four for § 16b AufenthG), the demo decisions' use of them,
and training records (one mandatory course due soon, one overdue). Idempotent: forms and news are
matched by their German title, country notes by country, instructions and blocks by title."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone

from willkommen.catalogue.selectors import anliegen_list

from . import services
from .models import CountryNote, NewsText, PublicFormText


def tiny_pdf(title):
    """A valid one-page PDF with ``title`` on it (ASCII), written by hand: no PDF library needed."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


FORMS = [
    (
        "antrag-aufenthaltstitel.pdf",
        "fachkraft",
        {
            "de": (
                "Antrag auf Erteilung eines Aufenthaltstitels",
                "Für jeden neuen Aufenthaltstitel und jede Verlängerung.",
            ),
            "en": ("Application for a residence permit", "For every new residence permit and every extension."),
            "ar": ("طلب الحصول على تصريح إقامة", "لكل تصريح إقامة جديد ولكل تمديد."),
            "fa": ("درخواست صدور اجازه اقامت", "برای هر اجازه اقامت جدید و هر تمدید."),
            "tr": ("Oturum izni başvurusu", "Her yeni oturum izni ve her uzatma için."),
            "uk": (
                "Заява на отримання дозволу на проживання",
                "Для кожного нового дозволу на проживання та кожного продовження.",
            ),
            "ru": (
                "Заявление на выдачу вида на жительство",
                "Для каждого нового вида на жительство и каждого продления.",
            ),
            "fr": ("Demande de titre de séjour", "Pour chaque nouveau titre de séjour et chaque prolongation."),
        },
    ),
    (
        "verpflichtungserklaerung.pdf",
        None,
        {
            "de": (
                "Verpflichtungserklärung",
                "Wer den Lebensunterhalt eines Gastes übernimmt, erklärt es mit diesem Formular.",
            ),
            "en": ("Formal obligation", "With this form you declare that you pay for a guest's living costs."),
        },
    ),
    (
        "vollmacht.pdf",
        None,
        {
            "de": ("Vollmacht", "Damit eine andere Person Ihre Sache bei uns vertreten darf."),
            "en": ("Power of attorney", "So that another person may act for you in your matter."),
            "ar": ("توكيل", "حتى يتمكن شخص آخر من تمثيلك في معاملتك لدينا."),
        },
    ),
]

NEWS = [
    (
        "closure",
        0,
        14,
        {
            "de": (
                "Geschlossen am Betriebsausflug",
                "Am Freitag in zwei Wochen bleibt die Behörde geschlossen. Termine werden verlegt.",
            ),
            "en": (
                "Closed for the staff outing",
                "The office is closed on Friday in two weeks. Appointments are moved.",
            ),
            "ar": ("مغلق بسبب رحلة الموظفين", "ستكون الدائرة مغلقة يوم الجمعة بعد أسبوعين. سيتم نقل المواعيد."),
            "fa": ("تعطیل به دلیل اردوی کارکنان", "اداره جمعه دو هفته دیگر تعطیل است. وقت‌ها جابه‌جا می‌شوند."),
            "tr": (
                "Personel gezisi nedeniyle kapalı",
                "Kurum iki hafta sonraki cuma günü kapalıdır. Randevular ertelenir.",
            ),
            "uk": (
                "Зачинено через виїзд персоналу",
                "Через два тижні в п'ятницю установа не працює. Записи переносяться.",
            ),
            "ru": (
                "Закрыто из-за выезда сотрудников",
                "Через две недели в пятницу ведомство закрыто. Записи переносятся.",
            ),
            "fr": (
                "Fermé pour la sortie du personnel",
                "Le service est fermé vendredi dans deux semaines. Les rendez-vous sont reportés.",
            ),
        },
    ),
    (
        "service",
        -10,
        None,
        {
            "de": (
                "Neu: Anträge online stellen",
                "Viele Anträge können Sie jetzt online stellen und Unterlagen hochladen.",
            ),
            "en": ("New: apply online", "You can now make many applications online and upload your documents."),
            "ar": ("جديد: تقديم الطلبات عبر الإنترنت", "يمكنك الآن تقديم كثير من الطلبات عبر الإنترنت ورفع مستنداتك."),
            "fa": (
                "جدید: درخواست آنلاین",
                "اکنون می‌توانید بسیاری از درخواست‌ها را آنلاین ثبت و مدارک را بارگذاری کنید.",
            ),
            "tr": (
                "Yeni: çevrimiçi başvuru",
                "Artık birçok başvuruyu çevrimiçi yapabilir ve belgelerinizi yükleyebilirsiniz.",
            ),
            "uk": ("Нове: подання заяв онлайн", "Тепер багато заяв можна подати онлайн і завантажити документи."),
            "ru": (
                "Новое: подача заявлений онлайн",
                "Теперь многие заявления можно подать онлайн и загрузить документы.",
            ),
            "fr": (
                "Nouveau : demandes en ligne",
                "Vous pouvez désormais faire de nombreuses demandes en ligne et téléverser vos documents.",
            ),
        },
    ),
    (
        "law",
        -120,
        -30,
        {
            "de": (
                "Änderung im Staatsangehörigkeitsrecht",
                "Die Einbürgerung ist seit dem Stichtag nach fünf Jahren möglich.",
            ),
            "en": ("Change in nationality law", "Naturalisation is now possible after five years."),
            "ar": ("تغيير في قانون الجنسية", "أصبح التجنس ممكناً الآن بعد خمس سنوات."),
            "fa": ("تغییر در قانون تابعیت", "اکنون تابعیت پس از پنج سال ممکن است."),
            "tr": ("Vatandaşlık yasasında değişiklik", "Vatandaşlığa geçiş artık beş yıl sonra mümkündür."),
            "uk": ("Зміни в законі про громадянство", "Натуралізація тепер можлива через п'ять років."),
            "ru": ("Изменения в законе о гражданстве", "Натурализация теперь возможна через пять лет."),
            "fr": ("Changement du droit de la nationalité", "La naturalisation est désormais possible après cinq ans."),
        },
    ),
]

NOTES = [
    {
        "country": "SYR",
        "passports": "Reisepässe stellt die Botschaft in Berlin aus; persönliche Vorsprache, Gebühr in bar, Wartezeit mehrere Monate.",
        "embassies": "Botschaft der Arabischen Republik Syrien, Berlin.",
        "cooperation": "Antrag bei der Botschaft mit Nachweis verlangen; nicht zumutbar bei anerkanntem Schutzstatus.",
        "deportation_bans": "Zurzeit keine Abschiebungen (Lagebericht des Auswärtigen Amts).",
        "sources": "Lagebericht des Auswärtigen Amts\nhttps://www.auswaertiges-amt.de/",
    },
    {
        "country": "AFG",
        "passports": "Passausstellung über die Auslandsvertretungen eingeschränkt; Tazkira als Identitätsnachweis.",
        "embassies": "Generalkonsulat Bonn (eingeschränkter Betrieb).",
        "cooperation": "Vorsprache beim Konsulat zumutbar, soweit keine Gefährdung; Nachweis der Bemühungen.",
        "deportation_bans": "Abschiebungen nur in Einzelfällen (Straftäter), sonst ausgesetzt.",
        "sources": "Weisung des Innenministeriums, Stand laut Datum",
    },
    {
        "country": "UKR",
        "passports": "Reisepässe über das Konsulat oder die Passstellen von DP „Dokument“ in Deutschland.",
        "embassies": "Botschaft der Ukraine, Berlin; Generalkonsulate Hamburg, Frankfurt am Main, München, Düsseldorf.",
        "cooperation": "Passantrag zumutbar; Wehrpflichtige Männer: Einschränkungen beachten.",
        "deportation_bans": "Keine Abschiebungen; Schutz nach § 24 AufenthG.",
        "sources": "Durchführungsbeschluss (EU) 2022/382; § 24 AufenthG",
    },
]


def load(authority):
    today = timezone.localdate()
    anliegen = {a.slug: a for a in anliegen_list(authority)}
    for position, (file_name, slug, texts) in enumerate(FORMS):
        if PublicFormText.objects.filter(authority=authority, language="de", title=texts["de"][0]).exists():
            continue
        services.save_form(
            authority,
            None,
            uploaded_file=SimpleUploadedFile(file_name, tiny_pdf(texts["en"][0]), content_type="application/pdf"),
            texts={code: {"title": t, "description": d} for code, (t, d) in texts.items()},
            anliegen=anliegen.get(slug),
            position=position,
        )
    for kind, start, end, texts in NEWS:
        if NewsText.objects.filter(authority=authority, language="de", title=texts["de"][0]).exists():
            continue
        services.save_news(
            authority,
            None,
            kind=kind,
            visible_from=today + dt.timedelta(days=start),
            visible_until=today + dt.timedelta(days=end) if end is not None else None,
            texts={code: {"title": t, "body": b} for code, (t, b) in texts.items()},
        )
    for values in NOTES:
        if CountryNote.objects.filter(authority=authority, country=values["country"]).exists():
            continue
        services.save_country_note(authority, None, CountryNote(as_of=today - dt.timedelta(days=30), **values))
    load_instructions_and_blocks(authority)
    load_training(authority)
    load_induction(authority)


INSTRUCTIONS = [
    {
        "slug": "studium",
        "title": "Aufenthaltserlaubnis zum Studium prüfen",
        "legal_basis": "§ 16b AufenthG",
        "checks": "Zulassung oder Immatrikulation der Hochschule.\nLebensunterhalt: Sperrkonto oder "
        "Verpflichtungserklärung in Höhe des BAföG-Höchstsatzes.\nKrankenversicherung.",
        "documents": "Reisepass, Immatrikulationsbescheinigung, Nachweis Sperrkonto, Krankenversicherung, Mietvertrag.",
        "pitfalls": "Beschäftigung nur bis 140 volle Tage im Jahr; Studienvorbereitung zählt mit.\n"
        "Bei Studiengangwechsel § 16b Abs. 4 beachten.",
        "legal_links": "https://www.gesetze-im-internet.de/aufenthg_2004/__16b.html",
        "published": True,
    },
    {
        "slug": "familiennachzug",
        "title": "Familiennachzug: Ermessen und Lebensunterhalt",
        "legal_basis": "§§ 27-36 AufenthG",
        "checks": "Aufenthaltstitel der Bezugsperson und seine Gültigkeit.\nAusreichender Wohnraum.\n"
        "Lebensunterhalt, Ausnahmen nach § 29 Abs. 2.",
        "documents": "Heirats- oder Geburtsurkunde (mit Übersetzung), Aufenthaltstitel der Bezugsperson, Mietvertrag.",
        "pitfalls": "Die Gültigkeit darf nicht über den Titel der Bezugsperson hinausgehen.\n"
        "Ermessen ausüben und begründen, Kindeswohl berücksichtigen.",
        "legal_links": "https://www.gesetze-im-internet.de/aufenthg_2004/__27.html",
        "published": False,
    },
]

BLOCKS = [
    (
        "Begründung Studium (Erteilung)",
        "§ 16b AufenthG",
        "grant",
        "reasoning",
        "{{ name }} ist an einer staatlichen Hochschule zugelassen. Der Lebensunterhalt ist durch ein Sperrkonto "
        "gesichert. Die Voraussetzungen des {{ legal_basis }} liegen vor.",
    ),
    (
        "Auflage Beschäftigung (Studium)",
        "§ 16b AufenthG",
        "grant",
        "conditions",
        "Beschäftigung bis zu 140 ganze oder 280 halbe Tage im Jahr sowie studentische Nebentätigkeit erlaubt. "
        "Gültig bis {{ valid_to }}.",
    ),
    (
        "Begründung Studium (Ablehnung: Lebensunterhalt)",
        "§ 16b AufenthG",
        "refuse",
        "reasoning",
        "Der Lebensunterhalt ist nicht gesichert (§ 5 Abs. 1 Nr. 1 AufenthG). Ein Sperrkonto oder eine "
        "Verpflichtungserklärung wurde trotz Aufforderung nicht vorgelegt.",
    ),
    (
        "Erklärung in einfacher Sprache (Ablehnung)",
        "§ 16b AufenthG",
        "refuse",
        "plain_explanation",
        "Guten Tag {{ name }}, Sie bekommen keine Aufenthaltserlaubnis zum Studium, weil wir nicht sehen, "
        "wovon Sie leben. Sie können ein Sperrkonto einrichten und neu beantragen.",
    ),
    (
        "Ermessen Familiennachzug (Erteilung)",
        "§§ 27-36 AufenthG",
        "grant",
        "reasoning",
        "Im Rahmen des Ermessens überwiegt das Interesse an der Herstellung der familiären Lebensgemeinschaft "
        "(Art. 6 GG). Die Gültigkeit richtet sich nach dem Titel der Bezugsperson.",
    ),
    (
        "Duldung: Abschiebung tatsächlich unmöglich",
        "§ 60a Abs. 4 AufenthG",
        "grant",
        "reasoning",
        "Die Abschiebung von {{ name }} ist aus tatsächlichen Gründen unmöglich; die Duldung wird bis "
        "{{ valid_to }} erteilt.",
    ),
]


def load_instructions_and_blocks(authority):
    """Instructions, text blocks (one instruction published), an adoption of what other authorities
    published, and the demo decisions linked to the blocks of their basis and outcome (the figures)."""
    from willkommen.cases.models import Decision, DecisionState

    from . import sharing, versions
    from .models import DecisionBlock, TextBlock, TextBlockVersion, WorkInstruction

    anliegen = {a.slug: a for a in anliegen_list(authority)}
    published = {i.title: i for i in sharing.published_elsewhere(authority)["instruction"]}
    for spec in INSTRUCTIONS:
        values = dict(spec)
        slug = values.pop("slug")
        if WorkInstruction.objects.filter(authority=authority, title=values["title"]).exists():
            continue
        if values["title"] in published:  # another authority published it first: adopt its page
            sharing.adopt(authority, None, "instruction", published[values["title"]])
        else:
            versions.save_instruction(authority, None, anliegen=anliegen.get(slug), **values)
    for title, basis, outcome, kind, text in BLOCKS:
        if not TextBlock.objects.filter(authority=authority, title=title).exists():
            versions.save_block(authority, None, title=title, legal_basis=basis, outcome=outcome, kind=kind, text=text)
    current = list(
        TextBlockVersion.objects.filter(authority=authority, number=models.F("block__version")).select_related("block")
    )
    decisions = Decision.objects.filter(authority=authority).exclude(state=DecisionState.WITHDRAWN)
    for decision in decisions:
        for version in current:
            if version.block.legal_basis.lower() == decision.legal_basis.lower() and (
                version.block.outcome == decision.outcome
            ):
                DecisionBlock.objects.get_or_create(authority=authority, decision=decision, version=version)


def load_training(authority):
    """Training records of the demo staff: a mandatory data-protection course due soon for one caseworker
    and overdue for another, an intercultural course."""
    from . import learning
    from .models import TrainingRecord

    if TrainingRecord.objects.filter(authority=authority).exists():
        return
    today = timezone.localdate()
    workers = list(learning.staff(authority).filter(role="caseworker")[:2])
    for index, user in enumerate(workers):
        learning.save_training(
            authority,
            None,
            staff_member=user,
            course="Datenschutz in der Ausländerbehörde",
            completed_on=learning.add_months(today, -12) + dt.timedelta(days=10 if index == 0 else -20),
            mandatory=True,
            renew_months=12,
        )
        learning.save_training(
            authority,
            None,
            staff_member=user,
            course="Interkulturelle Kompetenz",
            completed_on=today - dt.timedelta(days=90),
            mandatory=False,
            intercultural=True,
        )


INDUCTION = [
    (
        "Datenschutz und Verschwiegenheit",
        "Die Dienstanweisung zum Datenschutz lesen und die Verpflichtung unterschreiben.",
        [],
    ),
    (
        "Zugang zum Desk und zweiter Faktor",
        "Anmelden, Authenticator einrichten, das eigene Profil und die Sprachen prüfen.",
        [],
    ),
    (
        "Arbeitsanweisung Studium lesen",
        "Die Arbeitsanweisung zu § 16b AufenthG lesen und Fragen mit der Teamleitung klären.",
        ["caseworker", "team_lead"],
    ),
    ("Hospitation am ServicePoint", "Einen Vormittag am ServicePoint mitarbeiten.", ["caseworker", "servicepoint"]),
]


def load_induction(authority):
    """The induction checklist (two items for everyone, two per role, one linked to the § 16b instruction)
    and one caseworker halfway through it."""
    from . import induction, learning
    from .models import InductionItem, WorkInstruction

    if InductionItem.objects.filter(authority=authority).exists():
        return
    instruction = WorkInstruction.objects.filter(authority=authority, legal_basis="§ 16b AufenthG").first()
    created = []
    for position, (title, description, roles) in enumerate(INDUCTION, start=1):
        created.append(
            induction.save_item(
                authority,
                None,
                title=title,
                description=description,
                instruction=instruction if "Arbeitsanweisung" in title else None,
                position=position,
                roles=roles,
            )
        )
    newcomer = learning.staff(authority).filter(role="caseworker").last()
    if newcomer is not None:
        for item in created[:2]:
            induction.mark_done(authority, newcomer, staff_member=newcomer, item_id=item.pk)
