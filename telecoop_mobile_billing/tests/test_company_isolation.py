# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two cooperatives hosted in one database: the staff of one never reaches the other.

Company A is the test cooperative of the common fixtures, with one record of every
model of the membership and billing addons. Company B is a second cooperative
whose staff has the manager groups of both addons (so every refusal below comes
from the company rules, not from missing access rights). As B's staff, each
record of A is invisible, and reading, writing, deleting it or creating one like
it in A raises ``AccessError``. The table must name every model of the two addons
that holds company data: a model added later without a row fails the test.
"""

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import MobileBillingCommon

ADDONS = ("telecoop_membership", "telecoop_mobile_billing")
# share movements refuse every write with a UserError, before any access check
IMMUTABLE = {"telecoop.share.line"}


@tagged("post_install", "-at_install")
class TestCompanyIsolation(MobileBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = cls.company
        cls.company_b = env["res.company"].create({"name": "Partner Coop B"})
        # a third cooperative, for the models allowing one record per company
        cls.company_c = env["res.company"].create({"name": "Partner Coop C"})
        env.user.company_ids |= cls.company_b | cls.company_c
        cls.staff_b = new_test_user(
            env,
            login="tc_staff_b",
            groups="base.group_user,telecoop_membership.telecoop_membership_group_manager,"
            "telecoop_mobile_billing.telecoop_mobile_billing_group_manager",
            company_id=cls.company_b.id,
            company_ids=cls.company_b.ids,
        )
        cls.profile_b = env["telecoop.statute.profile"].create(
            {"name": "B statutes", "company_id": cls.company_b.id}
        )
        cls.plan_b = env["telecoop.mobile.plan"].create(
            {"name": "B plan", "company_id": cls.company_b.id, "base_fee": 5}
        )
        cls.member = cls._create_member("Member of A", shares=3)
        cls.line = cls._create_line("33612345678", cls.plan_step)
        request = env["telecoop.subscription.request"].create(
            {
                "company_id": company.id,
                "partner_id": cls.member.id,
                "share_class_id": cls.share_class.id,
                "quantity": 1,
            }
        )
        transfer = env["telecoop.share.transfer"].create(
            {
                "company_id": company.id,
                "from_partner_id": cls.member.id,
                "to_partner_id": cls.holder.id,
                "share_class_id": cls.share_class.id,
                "quantity": 1,
            }
        )
        buyback = env["telecoop.share.buyback"].create(
            {
                "company_id": company.id,
                "partner_id": cls.member.id,
                "share_class_id": cls.share_class.id,
                "quantity": 1,
            }
        )
        period = fields.Date.to_date("2026-02-01")
        usage_import = env["telecoop.usage.import"].create({"source_id": cls.source.id})
        import_error = cls._sql_import_error(usage_import)
        usage_record = cls._sql_usage_record(cls.line, "ISO-1", "2026-02-03 10:00")
        rated = env["telecoop.rated.usage"].create(
            {
                "company_id": company.id,
                "line_id": cls.line.id,
                "period": period,
                "usage_type": "data",
                "zone": "national",
            }
        )
        median = env["telecoop.plan.usage.median"].create(
            {"company_id": company.id, "plan_id": cls.plan_step.id, "period": period}
        )
        alert = env["telecoop.mobile.line.alert"].create(
            {"line_id": cls.line.id, "period": period, "kind": "data_band", "percent": 80}
        )
        run = env["telecoop.billing.run"].create({"company_id": company.id, "period": period})
        run_line = env["telecoop.billing.run.line"].create(
            {
                "run_id": run.id,
                "company_id": company.id,
                "partner_id": cls.holder.id,
                "period": period,
            }
        )
        register_import = env["telecoop.register.import"].create({"company_id": company.id})
        problem = env["telecoop.register.import.problem"].create(
            {"import_id": register_import.id, "file": "members.csv", "message": "x"}
        )
        # a one-off charge of March rates the line's March: its priced month and charges
        one_off = env["telecoop.mobile.line.one.off"].create(
            {"line_id": cls.line.id, "date": "2026-03-10", "name": "New SIM", "amount": 10}
        )
        # and a record of March (rated with it): what the holder used in the priced month
        march = fields.Date.to_date("2026-03-01")
        cls._sql_usage_record(cls.line, "ISO-2", "2026-03-03 10:00")
        env["telecoop.usage.record"]._rerate(company, {march: {cls.line.id}})
        priced_month = env["telecoop.priced.month"].search(
            [("line_id", "=", cls.line.id), ("period", "=", "2026-03-01")]
        )
        third_party = env["telecoop.third.party"].search(
            [("company_id", "=", company.id), ("number_prefix", "=", "33899")]
        )
        # model: (record of A, values that create one like it in A, values written)
        cls.table = {
            "telecoop.statute.profile": (
                cls.profile,
                {"name": "Intruder statutes", "company_id": cls.company_c.id},
                {"name": "Renamed"},
            ),
            "telecoop.college": (
                cls.college_users,
                {
                    "name": "Intruders",
                    "code": "intruders",
                    "vote_weight": 20,
                    "profile_id": cls.profile.id,
                },
                {"name": "Renamed"},
            ),
            "telecoop.assembly.rule": (
                cls.profile.assembly_rule_ids[:1],
                {"profile_id": cls.profile.id, "assembly_type": "extraordinary", "call": "second"},
                {"quorum_percent": 0},
            ),
            "telecoop.share.class": (
                cls.share_class,
                {
                    "name": "Intruder class",
                    "company_id": company.id,
                    "nominal_value": 1,
                    "college_id": cls.college_users.id,
                },
                {"name": "Renamed"},
            ),
            "telecoop.membership": (
                cls.member.telecoop_membership_ids[:1],
                {"partner_id": cls.holder.id, "company_id": company.id},
                {"member_number": "B-INTRUDER"},
            ),
            "telecoop.share.line": (
                cls.member.telecoop_share_line_ids[:1],
                {
                    "company_id": company.id,
                    "partner_id": cls.holder.id,
                    "share_class_id": cls.share_class.id,
                    "college_id": cls.college_users.id,
                    "date": period,
                    "movement_type": "issue",
                    "quantity": 1,
                    "amount": 100,
                },
                {"note": "changed"},
            ),
            "telecoop.subscription.request": (
                request,
                {
                    "company_id": company.id,
                    "partner_id": cls.holder.id,
                    "share_class_id": cls.share_class.id,
                    "quantity": 1,
                },
                {"quantity": 2},
            ),
            "telecoop.share.transfer": (
                transfer,
                {
                    "company_id": company.id,
                    "from_partner_id": cls.member.id,
                    "to_partner_id": cls.holder2.id,
                    "share_class_id": cls.share_class.id,
                    "quantity": 1,
                },
                {"quantity": 2},
            ),
            "telecoop.share.buyback": (
                buyback,
                {
                    "company_id": company.id,
                    "partner_id": cls.member.id,
                    "share_class_id": cls.share_class.id,
                    "quantity": 1,
                },
                {"quantity": 2},
            ),
            "telecoop.register.import": (
                register_import,
                {"company_id": company.id},
                {"name": "Renamed"},
            ),
            "telecoop.register.import.problem": (
                problem,
                {"import_id": register_import.id, "file": "x.csv", "message": "y"},
                {"message": "changed"},
            ),
            "telecoop.mobile.plan": (
                cls.plan_step,
                {"name": "Intruder plan", "company_id": company.id, "base_fee": 1},
                {"base_fee": 0},
            ),
            "telecoop.mobile.plan.tier": (
                cls.plan_step.tier_ids[:1],
                {"plan_id": cls.plan_step.id, "upper_units": 100, "price": 0},
                {"price": 0},
            ),
            "telecoop.mobile.plan.rate": (
                cls.plan_step.rate_ids[:1],
                {"plan_id": cls.plan_step.id, "usage_type": "sms", "zone": "national"},
                {"price": 0},
            ),
            "telecoop.mobile.line": (
                cls.line,
                {
                    "msisdn": "33698765432",
                    "company_id": company.id,
                    "partner_id": cls.holder.id,
                    "plan_id": cls.plan_step.id,
                    "activation_date": period,
                },
                {"plan_id": cls.plan_b.id},
            ),
            "telecoop.mobile.line.plan": (
                cls.line.plan_history_ids[:1],
                {"line_id": cls.line.id, "plan_id": cls.plan_step.id, "date_from": period},
                {"plan_id": cls.plan_b.id},
            ),
            "telecoop.mobile.line.alert": (
                alert,
                {"line_id": cls.line.id, "period": period, "kind": "data_band", "percent": 100},
                {"percent": 1},
            ),
            "telecoop.plan.usage.median": (
                median,
                {"company_id": company.id, "plan_id": cls.plan_classic.id, "period": period},
                {"line_count": 0},
            ),
            "telecoop.rated.usage": (
                rated,
                {
                    "company_id": company.id,
                    "line_id": cls.line.id,
                    "period": period,
                    "usage_type": "sms",
                    "zone": "national",
                },
                {"quantity": 0},
            ),
            "telecoop.usage.source": (
                cls.source,
                {"name": "Intruder source", "company_id": company.id},
                {"name": "Renamed"},
            ),
            "telecoop.usage.import": (
                usage_import,
                {"source_id": cls.source.id},
                {"file_name": "renamed.csv"},
            ),
            "telecoop.usage.import.error": (
                import_error,
                {"import_id": usage_import.id, "position": "3", "field": "x", "reason": "y"},
                {"reason": "changed"},
            ),
            "telecoop.usage.record": (
                usage_record,
                {
                    "company_id": company.id,
                    "source_id": cls.source.id,
                    "record_id": "ISO-2",
                    "msisdn": cls.line.msisdn,
                    "started_at": "2026-02-03 11:00:00",
                    "period": period,
                    "usage_type": "data",
                    "quantity": 1,
                    "zone": "national",
                },
                {"line_id": False},
            ),
            "telecoop.billing.run": (
                run,
                {"company_id": company.id, "period": "2026-03-01"},
                {"period": "2026-04-01"},
            ),
            "telecoop.billing.run.line": (
                run_line,
                {
                    "run_id": run.id,
                    "company_id": company.id,
                    "partner_id": cls.holder2.id,
                    "period": period,
                },
                {"period": "2026-05-01"},
            ),
            "telecoop.mobile.line.holder": (
                cls.line.holder_history_ids[:1],
                {"line_id": cls.line.id, "partner_id": cls.holder2.id, "date_from": "2026-04-01"},
                {"partner_id": cls.holder2.id},
            ),
            "telecoop.mobile.line.one.off": (
                one_off,
                {"line_id": cls.line.id, "date": "2026-04-02", "name": "Intruder", "amount": 0},
                {"amount": 0},
            ),
            "telecoop.third.party": (
                third_party,
                {"name": "Intruder services", "number_prefix": "33890", "company_id": company.id},
                {"number_prefix": "33800"},
            ),
            # priced months and charges are written by rating only (SQL): no staff may
            # write, create or delete them (access rights); reading is the company rule's
            "telecoop.priced.month": (
                priced_month,
                {"company_id": company.id, "line_id": cls.line.id, "period": "2026-04-01"},
                {"amount_total": 0},
            ),
            "telecoop.priced.charge": (
                priced_month.charge_ids[:1],
                {
                    "month_id": priced_month.id,
                    "company_id": company.id,
                    "line_id": cls.line.id,
                    "period": "2026-03-01",
                    "partner_id": cls.holder.id,
                    "kind": "plan",
                    "name": "Intruder",
                    "product_id": cls.product_plan.id,
                },
                {"price_unit": 0},
            ),
            "telecoop.priced.quantity": (
                priced_month.quantity_ids[:1],
                {
                    "month_id": priced_month.id,
                    "company_id": company.id,
                    "partner_id": cls.holder.id,
                    "usage_type": "data",
                    "zone": "national",
                    "unit": "byte",
                },
                {"quantity": 0},
            ),
        }

    def _as_staff_b(self, records):
        return records.with_user(self.staff_b).with_context(allowed_company_ids=self.company_b.ids)

    def _company_models(self):
        names = set()
        for name, model_class in self.env.registry.items():
            model = self.env[name]
            if (
                model_class._original_module in ADDONS
                and not model._abstract
                and not model._transient
            ):
                names.add(name)
        return names

    def test_the_table_names_every_model_of_the_two_addons(self):
        self.assertEqual(set(self.table), self._company_models())
        for model, (record, _create_vals, _write_vals) in self.table.items():
            with self.subTest(model=model):
                self.assertEqual(len(record), 1)
                self.assertEqual(record._name, model)

    def test_staff_b_has_the_access_rights_of_every_model(self):
        """So every AccessError below is the company rule's, not a missing group."""
        access = self.env["ir.model.access"].with_user(self.staff_b)
        for model in self.table:
            with self.subTest(model=model):
                self.assertTrue(access.check(model, "read", raise_exception=False))

    def test_staff_b_sees_its_own_records(self):
        self.assertEqual(
            self._as_staff_b(self.env["telecoop.statute.profile"]).search([]), self.profile_b
        )
        self.assertEqual(self._as_staff_b(self.env["telecoop.mobile.plan"]).search([]), self.plan_b)

    def test_staff_b_does_not_see_any_record_of_a(self):
        for model, (record, _create_vals, _write_vals) in self.table.items():
            with self.subTest(model=model):
                found = self._as_staff_b(self.env[model]).search([("id", "=", record.id)])
                self.assertFalse(found)

    def test_staff_b_cannot_read_any_record_of_a(self):
        for model, (record, _create_vals, write_vals) in self.table.items():
            with self.subTest(model=model), self.assertRaises(AccessError):
                self._as_staff_b(record).read(list(write_vals))

    def test_staff_b_cannot_write_any_record_of_a(self):
        for model, (record, _create_vals, write_vals) in self.table.items():
            expected = UserError if model in IMMUTABLE else AccessError
            with self.subTest(model=model), self.assertRaises(expected):
                self._as_staff_b(record).write(write_vals)

    def test_staff_b_cannot_delete_any_record_of_a(self):
        for model, (record, _create_vals, _write_vals) in self.table.items():
            with self.subTest(model=model), self.assertRaises(AccessError):
                self._as_staff_b(record).unlink()

    def test_staff_b_cannot_create_a_record_in_a(self):
        for model, (_record, create_vals, _write_vals) in self.table.items():
            with self.subTest(model=model), self.assertRaises(AccessError):
                self._as_staff_b(self.env[model]).create(create_vals)

    def test_a_line_cannot_move_onto_a_plan_of_another_company(self):
        """The attack of the issue: a line of A put on a plan of B (billed by B's prices)."""
        with self.assertRaises(UserError):
            self.line.write({"plan_id": self.plan_b.id})
        with self.assertRaises(UserError):
            self.env["telecoop.mobile.line.plan"].create(
                {"line_id": self.line.id, "plan_id": self.plan_b.id, "date_from": "2026-03-01"}
            )

    def test_a_line_of_a_is_not_held_by_a_contact_of_b(self):
        """Red team: a billing user of A, by RPC, gave a line of A (or changed its holder)
        to a contact that belongs to B only (an id she cannot read): A's line, billed to
        B's contact. The holder is one of A's contacts or a shared one."""
        contact_b = self.env["res.partner"].create(
            {"name": "Contact of B", "company_id": self.company_b.id}
        )
        lines = self.env["telecoop.mobile.line"].with_user(self.billing_user)
        with self.assertRaises(UserError):
            lines.create(
                {"msisdn": "33612340001", "plan_id": self.plan_step.id, "partner_id": contact_b.id}
            )
        with self.assertRaises(UserError):
            self.line.with_user(self.billing_user).write({"partner_id": contact_b.id})
        self.assertNotEqual(self.line.partner_id, contact_b)
        shared = self.env["res.partner"].create({"name": "Shared holder"})
        self.line.with_user(self.billing_user).write({"partner_id": shared.id})
        self.assertEqual(self.line.partner_id, shared)

    def test_a_tier_cannot_be_set_on_a_plan_of_another_company_by_its_parent(self):
        tier = self.plan_step.tier_ids[:1]
        self.assertEqual(tier.company_id, self.company)
        rate = self.plan_step.rate_ids[:1]
        self.assertEqual(rate.company_id, self.company)
        self.assertEqual(self.profile.assembly_rule_ids.company_id, self.company)

    def test_share_movement_cannot_use_a_class_of_another_company(self):
        class_b = self.env["telecoop.share.class"].create(
            {
                "name": "B class",
                "company_id": self.company_b.id,
                "nominal_value": 10,
                "college_id": self.env["telecoop.college"]
                .create(
                    {
                        "name": "B users",
                        "code": "users",
                        "vote_weight": 20,
                        "profile_id": self.profile_b.id,
                    }
                )
                .id,
            }
        )
        with self.assertRaises(UserError):
            self.env["telecoop.share.line"].create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.holder.id,
                    "share_class_id": class_b.id,
                    "college_id": self.college_users.id,
                    "date": "2026-03-01",
                    "movement_type": "issue",
                    "quantity": 1,
                    "amount": 10,
                }
            )

    def test_shares_of_a_cannot_land_in_a_college_of_b(self):
        college_b = self.env["telecoop.college"].create(
            {"name": "B users", "code": "users", "vote_weight": 20, "profile_id": self.profile_b.id}
        )
        with self.assertRaises(UserError):
            self.env["telecoop.share.line"].create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.holder.id,
                    "share_class_id": self.share_class.id,
                    "college_id": college_b.id,
                    "date": "2026-03-01",
                    "movement_type": "issue",
                    "quantity": 1,
                    "amount": 100,
                }
            )

    def test_staff_b_cannot_export_the_register_of_a(self):
        wizard_model = self._as_staff_b(self.env["telecoop.register.wizard"])
        with self.assertRaises(AccessError):
            wizard_model.create({"company_id": self.company.id, "date": "2026-12-31"})
        with self.assertRaises(AccessError):
            wizard_model._get_register(self.company, fields.Date.to_date("2026-12-31"))
        # a wizard on B's own register works and shows none of A's members
        wizard = wizard_model.create({"company_id": self.company_b.id, "date": "2026-12-31"})
        self.assertNotIn("Member of A", wizard._get_csv())

    def test_manager_of_a_exports_the_register_of_a(self):
        wizard = (
            self.env["telecoop.register.wizard"]
            .with_user(self.membership_user)
            .create({"company_id": self.company.id, "date": "2026-12-31"})
        )
        self.assertIn("Member of A", wizard._get_csv())
