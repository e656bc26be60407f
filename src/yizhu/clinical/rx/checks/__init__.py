"""The registered checks behind the rules in ``rules/rules.yaml``, one module per check family.

Each check reads the resolved orders and patient facts (``RxInput``) and compares them with the knowledge
packs (DrugItem and InteractionItem fields) and the rule data tables; every alert names its rule, the
drugs as written, the values compared (``evidence``) and the source of the fact it rests on.

To add a check: write ``@check("name")`` on a function ``(rule, rx) -> list[Alert]`` in the family module
it belongs to (or a new module here, imported below), building alerts with ``common.make``; then name it
from a rule in ``rules/rules.yaml``. The registry imports this package on first use, so importing the
modules here is what registers the built-in checks.
"""

from yizhu.clinical.rx.checks import (  # noqa: F401  (importing a family registers its checks)
    allergy,
    disease,
    dose,
    duplicates,
    frequency,
    interactions,
    management,
    organ,
    populations,
    route,
)
