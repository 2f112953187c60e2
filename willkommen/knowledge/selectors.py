"""Queries of the knowledge room. Every query takes the authority first and filters by it in SQL."""

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from willkommen.catalogue.selectors import anliegen_list, title

from .models import (
    FALLBACK_LANGUAGE,
    CountryNote,
    DecisionBlock,
    InstructionVersion,
    NewsItem,
    NewsText,
    PublicForm,
    PublicFormText,
    TextBlock,
    TextBlockVersion,
    WorkInstruction,
)


@dataclass
class Shown:
    """An object with the text picked for a language; ``fallback`` when it is the German text instead."""

    obj: object
    text: object
    fallback: bool
    anliegen: tuple | None = None  # (slug, title) of a form's Anliegen, portal only


def pick_text(texts, language):
    """The text row in ``language``, else the German one (``fallback=True``), else None."""
    by_language = {text.language: text for text in texts}
    if language in by_language:
        return by_language[language], False
    if FALLBACK_LANGUAGE in by_language:
        return by_language[FALLBACK_LANGUAGE], language != FALLBACK_LANGUAGE
    return None, False


def _shown(objects, language):
    shown = []
    for obj in objects:
        text, fallback = pick_text(obj.texts.all(), language)
        if text is not None:
            shown.append(Shown(obj, text, fallback))
    return shown


# --- forms ------------------------------------------------------------------------------------------


def forms(authority, *, active_only=False):
    qs = PublicForm.objects.filter(authority=authority).select_related("anliegen")
    if active_only:
        qs = qs.filter(active=True)
    return qs.prefetch_related(Prefetch("texts", queryset=PublicFormText.objects.filter(authority=authority)))


def get_form(authority, pk, *, active_only=False):
    return forms(authority, active_only=active_only).filter(pk=pk).first()


def portal_forms(authority, language):
    """The forms shown on the portal, each with its text in ``language`` or the German one, and the title
    of its Anliegen (if any, and active) in that language as ``anliegen_title``."""
    shown = _shown(forms(authority, active_only=True), language)
    linked = {s.obj.anliegen_id for s in shown if s.obj.anliegen_id}
    titles = {}
    if linked:
        titles = {a.pk: (a.slug, title(a, language)) for a in anliegen_list(authority) if a.pk in linked}
    for item in shown:
        item.anliegen = titles.get(item.obj.anliegen_id)
    return shown


# --- news -------------------------------------------------------------------------------------------


def current_filter(today=None):
    today = today or timezone.localdate()
    return Q(visible_from__lte=today) & (Q(visible_until__isnull=True) | Q(visible_until__gte=today))


def news(authority):
    return NewsItem.objects.filter(authority=authority).prefetch_related(
        Prefetch("texts", queryset=NewsText.objects.filter(authority=authority))
    )


def get_news(authority, pk):
    return news(authority).filter(pk=pk).first()


def current_news(authority, language, *, strict=False, today=None, limit=None):
    """The news visible today, newest first, each with its text in ``language``; without ``strict`` the
    German text stands in for a missing translation (the portal), with ``strict`` only items written in
    ``language`` (the feeds: one language per feed)."""
    qs = news(authority).filter(current_filter(today))
    if strict:
        qs = qs.filter(texts__language=language, texts__authority=authority).distinct()
    shown = _shown(qs, language)
    return shown[:limit] if limit else shown


# --- country notes ----------------------------------------------------------------------------------


def country_notes(authority):
    return CountryNote.objects.filter(authority=authority)


def get_country_note(authority, pk):
    return country_notes(authority).filter(pk=pk).first()


def notes_for_countries(authority, countries):
    codes = sorted({str(code).upper() for code in countries or [] if code})
    if not codes:
        return []
    return list(country_notes(authority).filter(country__in=codes))


# --- work instructions and text blocks --------------------------------------------------------------


def instructions(authority):
    return WorkInstruction.objects.filter(authority=authority).select_related("anliegen", "source__authority")


def get_instruction(authority, pk):
    return instructions(authority).filter(pk=pk).first()


def instruction_versions(authority, instruction):
    return InstructionVersion.objects.filter(authority=authority, instruction=instruction).select_related("created_by")


def current_instruction_version(authority, instruction):
    return instruction_versions(authority, instruction).filter(number=instruction.version).first()


def instructions_for(authority, *, anliegen=None, legal_basis=""):
    """The instructions for a case: those of its Anliegen and those of its legal basis, each with its
    current version as ``current``."""
    match = Q(legal_basis__iexact=(legal_basis or "").strip()) if (legal_basis or "").strip() else Q(pk__in=[])
    if anliegen is not None:
        match |= Q(anliegen=anliegen)
    found = list(instructions(authority).filter(match))
    current = {
        v.instruction_id: v
        for v in InstructionVersion.objects.filter(
            authority=authority, instruction__in=found, number=F("instruction__version")
        )
    }
    for item in found:
        item.current = current.get(item.pk)
    return found


def blocks(authority):
    return TextBlock.objects.filter(authority=authority).select_related("source__authority")


def get_block(authority, pk):
    return blocks(authority).filter(pk=pk).first()


def block_versions(authority, block):
    return TextBlockVersion.objects.filter(authority=authority, block=block).select_related("created_by")


def current_block_versions(authority, *, legal_basis):
    """The current version of every block for ``legal_basis`` (any outcome), with ``block`` loaded."""
    return list(
        TextBlockVersion.objects.filter(
            authority=authority,
            block__authority=authority,
            block__legal_basis__iexact=(legal_basis or "").strip(),
            number=F("block__version"),
        )
        .select_related("block")
        .order_by("block__outcome", "block__kind", "block__title")
    )


def versions_used(authority, decision):
    return list(TextBlockVersion.objects.filter(authority=authority, uses__decision=decision).select_related("block"))


def outcomes_per_block(authority):
    """Per text block: how many decisions (not replaced drafts) used it, by outcome – how discretion is
    exercised. Rows: {"block": TextBlock, "grant": n, "partial": n, "refuse": n, "total": n}."""
    from willkommen.cases.models import DecisionState

    rows = (
        DecisionBlock.objects.filter(authority=authority)
        .exclude(decision__state=DecisionState.WITHDRAWN)
        .values("version__block", "decision__outcome")
        .annotate(n=Count("decision", distinct=True))
    )
    counts = {}
    for row in rows:
        entry = counts.setdefault(row["version__block"], {"grant": 0, "partial": 0, "refuse": 0})
        entry[row["decision__outcome"]] = row["n"]
    shown = []
    for block in TextBlock.objects.filter(authority=authority, pk__in=counts):
        entry = counts[block.pk]
        shown.append({"block": block, **entry, "total": sum(entry.values())})
    return sorted(shown, key=lambda row: (-row["total"], row["block"].title))
