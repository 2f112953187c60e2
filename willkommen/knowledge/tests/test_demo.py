import pytest

from willkommen.knowledge import demo, selectors
from willkommen.knowledge.models import CountryNote, NewsItem, PublicForm


@pytest.mark.django_db
def test_demo_is_idempotent_and_shows_current_news_in_every_language(authority, other_authority):
    from willkommen.catalogue import demo as catalogue_demo

    for tenant in (authority, other_authority):
        catalogue_demo.load(tenant)
        demo.load(tenant)
    counts = (PublicForm.objects.count(), NewsItem.objects.count(), CountryNote.objects.count())
    assert counts == (6, 6, 6)
    demo.load(authority)
    assert (PublicForm.objects.count(), NewsItem.objects.count(), CountryNote.objects.count()) == counts
    for code in ("de", "en", "ar", "fa", "tr", "uk", "ru", "fr"):
        shown = selectors.current_news(authority, code, strict=True)
        assert len(shown) == 2, code  # the old change in the law is no longer shown
    first = PublicForm.objects.filter(authority=authority).order_by("position").first()
    assert first.anliegen is not None and first.file.open("rb").read(5) == b"%PDF-"


@pytest.mark.django_db
def test_demo_instructions_blocks_and_an_adoption(authority, other_authority):
    from willkommen.catalogue import demo as catalogue_demo
    from willkommen.knowledge.models import TextBlock, WorkInstruction

    for tenant in (authority, other_authority):
        catalogue_demo.load(tenant)
        demo.load(tenant)
    demo.load(other_authority)
    assert WorkInstruction.objects.filter(authority=authority).count() == 2
    assert TextBlock.objects.filter(authority=other_authority).count() == 6
    adopted = WorkInstruction.objects.get(authority=other_authority, source__isnull=False)
    assert (
        adopted.source.authority == authority and WorkInstruction.objects.filter(authority=other_authority).count() == 2
    )


@pytest.mark.django_db
def test_demo_training_shows_due_and_overdue(authority):
    from willkommen.accounts import demo as accounts_demo
    from willkommen.catalogue import demo as catalogue_demo
    from willkommen.knowledge import learning

    authority.slug = "bergstadt"
    authority.save()
    accounts_demo.load(authority)
    catalogue_demo.load(authority)
    demo.load(authority)
    demo.load(authority)
    assert sorted(item.overdue for item in learning.due(authority)) == [False, True]
    from willkommen.knowledge import induction
    from willkommen.knowledge.models import InductionItem

    assert InductionItem.objects.filter(authority=authority).count() == 4
    assert any(row["done"] == 2 and not row["complete"] for row in induction.progress(authority))
