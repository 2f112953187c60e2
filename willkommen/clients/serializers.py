from willkommen.core import serializers

from .models import Person, PersonAlias, ResidenceEntry


class ResidenceEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ResidenceEntry
        fields = [
            "id",
            "kind",
            "legal_basis",
            "valid_from",
            "valid_to",
            "conditions",
            "document_number",
            "issued_by",
            "source",
            "verified",
            "verified_at",
        ]


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonAlias
        fields = ["kind", "family_name", "given_names", "valid_until"]


class PersonSerializer(serializers.ModelSerializer):
    aliases = AliasSerializer(many=True, read_only=True)
    residence_entries = ResidenceEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "family_name",
            "given_names",
            "family_name_native",
            "given_names_native",
            "birth_name",
            "date_of_birth",
            "place_of_birth",
            "country_of_birth",
            "sex",
            "nationalities",
            "street",
            "postal_code",
            "city",
            "email",
            "phone",
            "preferred_language",
            "preferred_channel",
            "interpreter_needed",
            "interpreter_language",
            "entry_date",
            "aliases",
            "residence_entries",
        ]
