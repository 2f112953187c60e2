from willkommen.core import serializers


class AnliegenSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    legal_basis = serializers.CharField()
    fee_eur = serializers.DecimalField(max_digits=7, decimal_places=2)
    complexity = serializers.CharField()
    target_days = serializers.IntegerField()
    interim_answer_days = serializers.IntegerField(allow_null=True)
    longest_validity_months = serializers.IntegerField(allow_null=True)
    discretionary = serializers.BooleanField()
    way_in = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField()
    help_text = serializers.CharField()
    options = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class ChecklistEntrySerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    explanation = serializers.CharField()
    required = serializers.BooleanField()
    document_type = serializers.CharField()


class ChecklistSerializer(serializers.Serializer):
    anliegen = serializers.CharField()
    language = serializers.CharField()
    answers = serializers.DictField()
    fee_eur = serializers.DecimalField(max_digits=7, decimal_places=2)
    entries = ChecklistEntrySerializer(many=True)


class ChecklistRequestSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.CharField(max_length=40, allow_blank=True), required=False)
