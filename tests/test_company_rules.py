# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Isolation of hosted cooperatives as a rule of the codebase.

Every model of the three addons is read from the registry (so a model added
later is checked too). A model holds company data when it has a ``company_id``
field or a required many2one to a model of the addons that holds company data
(its parent). Such a model must have:

1. a stored ``company_id`` (its own, or related to its parent's) so the rule is
   a plain column test;
2. a global record rule (no group) of the ``company_ids`` kind;
3. ``_check_company_auto`` and ``check_company`` on its many2one fields to other
   company records (journals, accounts, entries, products, records of the addons),
   so a record of one company cannot point at a record of another.

Transient models (wizards) are forms of one user: the wizards that read by SQL
guard the company themselves and are tested where they live.
"""

from odoo.tests import TransactionCase, tagged

ADDONS = ("telecoop_membership", "telecoop_mobile_billing", "telecoop_agm")
# comodels shared by every company (contacts, users) or not company data
SHARED = {"res.partner", "res.users", "res.company", "ir.attachment", "mail.mail"}
# known exceptions, each with the reason and where it is to be lifted
EXEMPT_STORED_COMPANY = {
    # rows written by COPY in telecoop.usage.import._log_errors (owned by the usage
    # import); the rule goes through import_id.company_id until COPY writes the company
    "telecoop.usage.import.error",
}


@tagged("post_install", "-at_install")
class TestCompanyRules(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.models_by_addon = {addon: [] for addon in ADDONS}
        for name, model_class in cls.env.registry.items():
            model = cls.env[name]
            if model_class._original_module in ADDONS and not (model._abstract or model._transient):
                cls.models_by_addon[model_class._original_module].append(name)
        cls.company_models = set()
        names = [n for models in cls.models_by_addon.values() for n in models]
        changed = True
        while changed:  # a child of a child holds company data too
            changed = False
            for name in names:
                if name not in cls.company_models and cls._holds_company_data(name):
                    cls.company_models.add(name)
                    changed = True

    @classmethod
    def _holds_company_data(cls, name):
        fields = cls.env[name]._fields
        if "company_id" in fields:
            return True
        return any(
            field.type == "many2one" and field.required and field.comodel_name in cls.company_models
            for field in fields.values()
        )

    def _company_rule(self, name):
        rules = self.env["ir.rule"].search([("model_id.model", "=", name)])
        return rules.filtered(
            lambda r: not r.groups and r.perm_read and "company_ids" in (r.domain_force or "")
        )

    def _problems(self, name):
        """What model ``name`` lacks to hold its company's data apart."""
        model = self.env[name]
        problems = []
        field = model._fields.get("company_id")
        if name not in EXEMPT_STORED_COMPANY and not (field and field.store):
            problems.append("no stored company_id")
        if not self._company_rule(name):
            problems.append("no company rule")
        if field and self._company_relations(name) and not model._check_company_auto:
            problems.append("no _check_company_auto")
        return problems

    def _company_relations(self, name):
        """The many2one fields of ``name`` to records of a company."""
        return [
            f
            for f in self.env[name]._fields.values()
            if f.type == "many2one"
            and f.store
            and not f.related
            and f.name not in ("company_id", "create_uid", "write_uid")
            and f.comodel_name not in SHARED
            and {"company_id", "company_ids"} & set(self.env[f.comodel_name]._fields)
        ]

    def _assert_addon(self, addon):
        self.assertTrue(self.models_by_addon[addon], f"no model found for {addon}")
        failures = {}
        for name in sorted(self.company_models):
            problems = self._problems(name) if name in self.models_by_addon[addon] else []
            # fields are the addon's that defines them (an addon may extend another's model)
            if "company_id" in self.env[name]._fields:
                missing = sorted(
                    f.name
                    for f in self._company_relations(name)
                    if f._module == addon and not f.check_company
                )
                if missing:
                    problems.append("no check_company on " + ", ".join(missing))
            if problems:
                failures[name] = problems
        self.assertFalse(
            failures,
            f"models of {addon} holding company data without isolation:\n"
            + "\n".join(f"  {n}: {'; '.join(p)}" for n, p in failures.items()),
        )

    def test_membership_models_are_isolated(self):
        self._assert_addon("telecoop_membership")

    def test_mobile_billing_models_are_isolated(self):
        self._assert_addon("telecoop_mobile_billing")

    def test_agm_models_are_isolated(self):
        self._assert_addon("telecoop_agm")

    def test_the_check_sees_a_model_without_rule(self):
        """The check itself: a child model is found through its parent, and a
        missing rule is reported."""
        self.assertIn("telecoop.mobile.plan.tier", self.company_models)
        self.assertIn("telecoop.usage.import.error", self.company_models)
        rule = self._company_rule("telecoop.mobile.plan.tier")
        rule.active = False
        self.assertIn("no company rule", self._problems("telecoop.mobile.plan.tier"))
