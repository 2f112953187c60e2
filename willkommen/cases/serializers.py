from django.utils import timezone

from willkommen.core import serializers

from . import deadlines, workflow
from .models import Case, Decision, Outcome, TimelineEntry


class CaseListSerializer(serializers.ModelSerializer):
    anliegen = serializers.CharField(source="anliegen.slug")
    person = serializers.SerializerMethodField()
    assignee = serializers.CharField(source="assignee.username", default=None, allow_null=True)
    team = serializers.CharField(source="team.name", default=None, allow_null=True)
    urgency = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "status",
            "anliegen",
            "person",
            "team",
            "assignee",
            "received_at",
            "due_on",
            "interim_due_on",
            "status_message_due_on",
            "clock_stopped_on",
            "urgency",
        ]

    def get_person(self, case) -> str:
        return f"{case.person.family_name}, {case.person.given_names}"

    def get_urgency(self, case) -> int:
        """0 most urgent … 4 (see deadlines.urgency): annotated in SQL by the queue, computed here for one
        case (the detail was ``null`` where the schema promises an integer, found by schemathesis)."""
        annotated = getattr(case, "urgency", None)
        if annotated is not None:
            return annotated
        return deadlines.urgency(
            timezone.localdate(),
            due=case.due_on,
            permit_expires=case.permit_expires_on,
            stay_at_stake=case.stay_at_stake,
            clock_stopped=case.status in workflow.CLOCK_STOPPED,
        )


class CaseDetailSerializer(CaseListSerializer):
    transitions = serializers.SerializerMethodField()
    fiction_paragraph = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "permit_expires_on",
            "stay_at_stake",
            "discretionary",
            "paused_days",
            "decided_at",
            "fiction_paragraph",
            "transitions",
        ]

    def get_fiction_paragraph(self, case) -> str:
        """The § 81 rule from the person's residence history: 81_4_1, 81_4_3, 81_3_1, 81_3_2 or ''."""
        from .selectors import fiction_paragraph

        return fiction_paragraph(case)

    def get_transitions(self, case) -> list[str]:
        from .services import available_transitions

        return [t.name for t in available_transitions(case, self.context["request"].user)]


class TimelineSerializer(serializers.ModelSerializer):
    # entries from other rooms (documents, messages) are merged into the timeline and have no id here
    id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = TimelineEntry
        fields = ["id", "at", "kind", "actor_label", "from_status", "to_status", "text"]


class DecisionSerializer(serializers.ModelSerializer):
    drafted_by = serializers.CharField(source="drafted_by.username", read_only=True)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "outcome",
            "legal_basis",
            "valid_from",
            "valid_to",
            "shorter_validity_reason",
            "conditions",
            "reasoning",
            "plain_explanation",
            "ends_stay",
            "sponsor_title_expires_on",
            "bound_end_on",
            "needs_approval",
            "approval_reasons",
            "state",
            "drafted_by",
            "drafted_at",
            "approved_by",
            "approved_at",
            "review_comment",
        ]
        read_only_fields = [
            "needs_approval",
            "approval_reasons",
            "state",
            "drafted_by",
            "drafted_at",
            "approved_by",
            "approved_at",
            "review_comment",
        ]


class DraftDecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    legal_basis = serializers.CharField(max_length=120)
    reasoning = serializers.CharField(max_length=20000, style=serializers.MULTI_LINE)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)
    sponsor_title_expires_on = serializers.DateField(required=False, allow_null=True)
    bound_end_on = serializers.DateField(required=False, allow_null=True)
    shorter_validity_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, style=serializers.MULTI_LINE
    )
    conditions = serializers.CharField(required=False, allow_blank=True, max_length=4000, style=serializers.MULTI_LINE)
    plain_explanation = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, style=serializers.MULTI_LINE
    )
    ends_stay = serializers.BooleanField(required=False, default=False)


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=40)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, style=serializers.MULTI_LINE)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000, style=serializers.MULTI_LINE)


class LetterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    languages = serializers.CharField()
    created_at = serializers.DateTimeField()
    for_post = serializers.BooleanField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class NewPersonSerializer(serializers.Serializer):
    """A person not yet in the register (created with the duplicate check)."""

    family_name = serializers.CharField(max_length=150)
    given_names = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    date_of_birth = serializers.DateField()
    nationalities = serializers.ListField(
        child=serializers.RegexField(r"^[A-Z]{3}$"), required=False, default=list, max_length=5
    )
    email = serializers.EmailField(required=False, default="", allow_blank=True)
    preferred_language = serializers.CharField(max_length=8, required=False, default="de")
    street = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    postal_code = serializers.CharField(max_length=10, required=False, default="", allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class OpenCaseRequestSerializer(serializers.Serializer):
    """``POST /api/v1/cases/``: open a case as the desk does (``cases.intake.open_at_desk``). Either
    ``person`` (an id) or ``new_person``; ``allow_duplicate`` creates the new person although the register
    holds a probable duplicate (else 409 names the candidates)."""

    person = serializers.IntegerField(required=False, min_value=1)
    new_person = NewPersonSerializer(required=False)
    allow_duplicate = serializers.BooleanField(required=False, default=False)
    anliegen = serializers.SlugField(max_length=50, help_text="The Anliegen's slug (catalogue).")
    source = serializers.ChoiceField(choices=["letter", "counter", "servicepoint", "appointment"])
    received_on = serializers.DateField(help_text="The arrival date; for a letter the postmark. Not in the future.")
    answers = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True), required=False, default=dict
    )
    title_kind = serializers.ChoiceField(choices=[], required=False, default="", allow_blank=True)
    title_valid_to = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        from willkommen.clients.models import STATUS_KINDS

        super().__init__(*args, **kwargs)
        self.fields["title_kind"].choices = [k.value for k in STATUS_KINDS]

    def validate(self, data):
        if ("person" in data) == ("new_person" in data):
            raise serializers.ValidationError({"person": "Give either person (an id) or new_person."})
        if data.get("title_valid_to") and not data.get("title_kind"):
            raise serializers.ValidationError({"title_kind": "Give the kind of document the date belongs to."})
        if data["received_on"] > timezone.localdate():
            raise serializers.ValidationError({"received_on": "The arrival date lies in the future."})
        return data


class OpenedCaseSerializer(serializers.ModelSerializer):
    """The case opened (never its access code: that goes to the client only, in the receipt)."""

    anliegen = serializers.CharField(source="anliegen.slug")

    class Meta:
        model = Case
        fields = ["id", "number", "status", "source", "anliegen", "person", "received_at"]


class IntakeErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    errors = serializers.DictField(required=False, help_text="Field errors of invalid input.")
    duplicates = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="409: ids of probable duplicates."
    )
