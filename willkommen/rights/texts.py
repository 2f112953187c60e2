"""The criteria of the rules in plain words, for staff pages (docs/rights.md has the same list)."""

from django.utils.translation import gettext_lazy as _

CRITERIA = {
    "applications_open": _("the rule accepts applications on the screening date"),
    "status_duldung_or_104c": _("holds a Duldung or a § 104c permit"),
    "status_duldung": _("holds a Duldung"),
    "duldung_12_months": _("has held the Duldung for at least 12 months"),
    "under_27_at_application": _("applies before the 27th birthday"),
    "at_least_14_at_decision": _("is at least 14 years old"),
    "stay_3_years": _("3 years of uninterrupted stay (gaps up to 3 months do not count)"),
    "stay_6_years_or_4_with_child": _("6 years of uninterrupted stay, 4 years with a minor child"),
    "stay_5_years_on_cutoff": _("5 years of uninterrupted stay on 31 Oct 2022"),
    "schooling_or_qualification": _("3 years of successful schooling in Germany or a recognised qualification"),
    "livelihood_from_work_or_exempt": _(
        "lives mainly from work or is exempt (student, trainee, family, carer, illness)"
    ),
    "livelihood_from_work": _("lives mainly from work"),
    "german_a2": _("speaks German at level A2"),
    "german_b1": _("speaks German at level B1"),
    "children_attend_school": _("school-age children attend school"),
    "no_identity_deception": _("no identity deception"),
    "no_obstruction_of_removal": _("no identity deception or obstruction of removal"),
    "identity_clarified": _("identity clarified"),
    "no_serious_expulsion_interest": _("no prison sentence of 6 months or more"),
    "no_offence_beyond_small_fines": _("no offence beyond fines of 50 daily rates"),
    "entered_by_cutoff": _("entered Germany by 31 Dec 2022"),
    "recognised_qualification": _("a qualification recognised in Germany"),
}


def criterion(name):
    return CRITERIA.get(name, name)
