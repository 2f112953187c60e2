"""Demo data for the figures: six months of cases (``cases.demo.history``) so the casework page shows something."""


def load(authority):
    from willkommen.cases.demo import history

    history(authority)
