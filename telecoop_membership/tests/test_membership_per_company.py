# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
from pathlib import Path

import psycopg2

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_accounting import TelecoopAccountingCommon

MIGRATIONS = Path(__file__).parent.parent / "migrations" / "19.0.2.0.0"


def _migration(name):
    spec = importlib.util.spec_from_file_location(f"tc_mig_{name}", MIGRATIONS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMembershipPerCompany(TelecoopAccountingCommon):
    """Two cooperatives hosted in one database: one membership per (person, company)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Partner Coop SCOP"})
        cls.env.user.company_ids |= cls.company_b
        cls.profile_b = cls.env["telecoop.statute.profile"].create(
            {
                "name": "Partner Coop statutes",
                "company_id": cls.company_b.id,
                "share_nominal_value": 50,
                "min_shares_per_member": 1,
                "college_ids": [
                    Command.create({"name": "Workers", "code": "workers", "vote_weight": 50}),
                    Command.create({"name": "Clients", "code": "clients", "vote_weight": 50}),
                ],
            }
        )
        cls.college_b = cls.profile_b.college_ids.filtered(lambda c: c.code == "workers")
        cls.share_class_b = cls.env["telecoop.share.class"].create(
            {
                "name": "Workers share",
                "company_id": cls.company_b.id,
                "nominal_value": 50,
                "college_id": cls.college_b.id,
            }
        )
        cls.staff_b = new_test_user(
            cls.env,
            login="tc_staff_b",
            groups="base.group_user,telecoop_membership.telecoop_membership_group_manager",
            company_id=cls.company_b.id,
            company_ids=cls.company_b.ids,
        )
        # Paula: member of A (number T...) and of B (number B-0007)
        cls.paula = cls._create_member("Paula", shares=2, date="2025-01-10")
        cls.alice = cls._create_member("Alice", shares=5, date="2025-01-10")
        cls._join_b(cls.paula, "B-0007", "2024-06-01")

    @classmethod
    def _join_b(cls, partner, number, on_date):
        cls.env["telecoop.share.line"].create(
            {
                "company_id": cls.company_b.id,
                "partner_id": partner.id,
                "share_class_id": cls.share_class_b.id,
                "college_id": cls.college_b.id,
                "date": fields.Date.to_date(on_date),
                "movement_type": "issue",
                "quantity": 4,
                "amount": 200,
            }
        )
        return (
            cls.env["telecoop.membership"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": cls.company_b.id,
                    "state": "member",
                    "college_id": cls.college_b.id,
                    "admission_date": fields.Date.to_date(on_date),
                    "member_number": number,
                }
            )
        )

    def _as_staff_b(self, records):
        return records.with_user(self.staff_b).with_context(allowed_company_ids=self.company_b.ids)

    def _card(self, partner, company):
        partner = partner.with_company(company)
        return (
            partner.telecoop_member_number,
            partner.telecoop_college_id,
            partner.telecoop_is_member,
            partner.telecoop_member_since,
        )

    def test_one_person_two_cooperatives_two_numbers(self):
        self.assertEqual(len(self.paula.telecoop_membership_ids), 2)
        self.assertEqual(
            self._card(self.paula, self.company),
            (f"T{self.paula.id:06d}", self.college_users, True, fields.Date.to_date("2025-01-10")),
        )
        self.assertEqual(
            self._card(self.paula, self.company_b),
            ("B-0007", self.college_b, True, fields.Date.to_date("2024-06-01")),
        )
        self.assertEqual(
            self.env["res.partner"]
            .with_company(self.company_b)
            .search([("telecoop_member_number", "=", "B-0007")]),
            self.paula,
        )
        self.assertFalse(
            self.env["res.partner"]
            .with_company(self.company)
            .search([("telecoop_member_number", "=", "B-0007")])
        )

    def test_member_number_unique_per_company_only(self):
        # the same number in another cooperative is another person's: allowed
        self._join_b(self.alice, f"T{self.paula.id:06d}", "2025-03-01")
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation):
            with self.env.cr.savepoint():
                self.env["telecoop.membership"].sudo().create(
                    {
                        "partner_id": self.env["res.partner"].create({"name": "Zoe"}).id,
                        "company_id": self.company_b.id,
                        "member_number": "B-0007",
                    }
                )

    def test_leaving_one_cooperative_by_buyback_keeps_the_other(self):
        self.profile.write({"capital_floor": 200, "buyback_delay_months": 0})
        self.env["telecoop.share.buyback"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.paula.id,
                "share_class_id": self.share_class.id,
                "quantity": 2,
                "request_date": "2026-02-15",
                "decision_date": "2026-03-01",
            }
        ).action_approve()
        number_a, _college, is_member_a, _since = self._card(self.paula, self.company)
        self.assertFalse(is_member_a)
        self.assertEqual(number_a, f"T{self.paula.id:06d}", "a former member keeps the number")
        self.assertEqual(
            self.paula.with_company(self.company).telecoop_member_until,
            fields.Date.to_date("2026-03-01"),
        )
        self.assertEqual(
            self._card(self.paula, self.company_b),
            ("B-0007", self.college_b, True, fields.Date.to_date("2024-06-01")),
        )

    def test_shares_bought_in_a_land_in_a_college(self):
        """Bruno, member of B only, subscribes in A: A's college, A's number, B untouched."""
        bruno = self.env["res.partner"].create({"name": "Bruno"})
        self._join_b(bruno, "B-0100", "2024-01-01")
        request = self._subscribe_paid(bruno, 1, on_date="2026-03-10")
        line = request.share_line_ids
        self.assertEqual(line.college_id, self.college_users)
        number_a, college_a, is_member_a, since_a = self._card(bruno, self.company)
        self.assertTrue(is_member_a)
        self.assertEqual(college_a, self.college_users)
        self.assertNotEqual(number_a, "B-0100")
        self.assertEqual(since_a, fields.Date.to_date("2026-03-10"))
        self.assertEqual(
            self._card(bruno, self.company_b),
            ("B-0100", self.college_b, True, fields.Date.to_date("2024-01-01")),
        )

    def test_transfer_in_a_lands_in_a_college(self):
        bruno = self.env["res.partner"].create({"name": "Bruno"})
        self._join_b(bruno, "B-0101", "2024-01-01")
        self.env["telecoop.share.transfer"].with_company(self.company_b).create(
            {
                "company_id": self.company.id,
                "from_partner_id": self.alice.id,
                "to_partner_id": bruno.id,
                "share_class_id": self.share_class.id,
                "quantity": 1,
                "date": "2026-02-01",
            }
        ).action_confirm()
        lines = self.env["telecoop.share.line"].search(
            [("partner_id", "=", bruno.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(lines.college_id, self.college_users)
        self.assertEqual(bruno.with_company(self.company).telecoop_college_id, self.college_users)
        self.assertEqual(bruno.with_company(self.company_b).telecoop_college_id, self.college_b)

    def test_share_documents_refuse_a_contact_of_another_company(self):
        """Red team: A's staff, by RPC, filed a subscription request, a transfer and a
        buy-back of A for a contact that belongs to B (company_id B), or changed a draft's
        person to it: A's register would list B's contact. Refused on create and on
        write, whether B is among the staff's companies (A current) or not; a contact
        shared by all companies (no company) stays possible, in A and in B."""
        staff_ab = new_test_user(
            self.env,
            login="tc_staff_ab",
            groups="base.group_user,telecoop_membership.telecoop_membership_group_manager",
            company_id=self.company.id,
            company_ids=(self.company | self.company_b).ids,
        )
        contact_b = self.env["res.partner"].create(
            {"name": "Contact of B", "company_id": self.company_b.id}
        )
        shared = self.env["res.partner"].create({"name": "Shared person"})
        self.assertFalse(shared.company_id)
        incompatible = "belongs to another company"
        for staff, companies in (
            (staff_ab, self.company | self.company_b),  # A current, B allowed
            (self.membership_manager, self.company),  # A only: B's contact unreadable
        ):
            env = self.env(user=staff, context={"allowed_company_ids": companies.ids})
            common = {"company_id": self.company.id, "share_class_id": self.share_class.id}
            documents = {
                "telecoop.subscription.request": ("partner_id", {}),
                "telecoop.share.buyback": ("partner_id", {}),
                "telecoop.share.transfer": ("to_partner_id", {"from_partner_id": self.alice.id}),
            }
            for model, (person, extra) in documents.items():
                with self.subTest(user=staff.login, model=model):
                    with self.assertRaisesRegex(UserError, incompatible):
                        env[model].create({**common, **extra, person: contact_b.id})
                    holder = self.alice if model == "telecoop.share.buyback" else shared
                    if model == "telecoop.share.transfer":
                        holder = self.paula
                    draft = env[model].create({**common, **extra, person: holder.id})
                    with self.assertRaisesRegex(UserError, incompatible), self.env.cr.savepoint():
                        draft.write({person: contact_b.id})
                    draft.invalidate_recordset()
                    self.assertEqual(draft[person], holder)
                    draft.unlink()
            with self.subTest(user=staff.login, model="telecoop.share.transfer giver"):
                with self.assertRaisesRegex(UserError, incompatible):
                    env["telecoop.share.transfer"].create(
                        {**common, "from_partner_id": contact_b.id, "to_partner_id": shared.id}
                    )
        # the register's own rows and the membership of a cooperative hold the same rule
        with self.assertRaisesRegex(UserError, incompatible):
            self._join_b(
                self.env["res.partner"].create(
                    {"name": "Contact of A", "company_id": self.company.id}
                ),
                "B-0099",
                "2025-01-10",
            )
        # a contact shared by all companies asks for shares in both cooperatives
        in_a = self._request(shared)
        in_b = self._request(shared, share_class=self.share_class_b, company_id=self.company_b.id)
        self.assertEqual((in_a | in_b).partner_id, shared)
        self.assertEqual((in_a | in_b).company_id, self.company | self.company_b)

    def test_staff_of_b_never_reads_a_memberships(self):
        memberships = self._as_staff_b(self.env["telecoop.membership"])
        self.assertEqual(memberships.search([]).company_id, self.company_b)
        a_membership = self.paula.telecoop_membership_ids.filtered(
            lambda m: m.company_id == self.company
        )
        with self.assertRaises(AccessError):
            self._as_staff_b(a_membership).read(["member_number"])
        # B's staff sees Paula's B card only
        paula_b = self._as_staff_b(self.paula)
        self.assertEqual(paula_b.telecoop_member_number, "B-0007")
        self.assertFalse(
            self._as_staff_b(self.env["res.partner"]).search(
                [("telecoop_member_number", "=", f"T{self.paula.id:06d}")]
            )
        )

    def test_memberships_are_written_by_the_register_only(self):
        b_membership = self.paula.telecoop_membership_ids.filtered(
            lambda m: m.company_id == self.company_b
        )
        with self.assertRaises(AccessError):
            self._as_staff_b(b_membership).write({"member_number": "B-9999"})
        with self.assertRaises(AccessError):
            self._as_staff_b(self.env["telecoop.membership"]).create(
                {"partner_id": self.alice.id, "company_id": self.company_b.id}
            )

    def test_member_card_of_the_contact_is_not_writable_by_staff(self):
        """The card on the contact writes the membership: staff cannot go round it."""
        paula_b = self._as_staff_b(self.paula)
        with self.assertRaises(AccessError):
            paula_b.write({"telecoop_member_number": "B-0001"})
        with self.assertRaises(AccessError):
            paula_b.write({"telecoop_is_member": False})
        self.assertEqual(self.paula.with_company(self.company_b).telecoop_member_number, "B-0007")

    def test_portal_reads_the_membership_of_its_company(self):
        portal = new_test_user(
            self.env,
            login="tc_portal_paula",
            groups="base.group_portal",
            company_id=self.company_b.id,
            company_ids=(self.company | self.company_b).ids,
        )
        portal.partner_id = self.paula
        other = self.alice.telecoop_membership_ids
        as_portal = self.env["telecoop.membership"].with_user(portal)
        self.assertEqual(as_portal.search([]).partner_id, self.paula)
        with self.assertRaises(AccessError):
            other.with_user(portal).read(["member_number"])
        paula = self.paula.with_user(portal)
        self.assertEqual(paula.with_company(self.company_b).telecoop_member_number, "B-0007")
        self.assertEqual(
            paula.with_company(self.company).telecoop_member_number, f"T{self.paula.id:06d}"
        )

    def test_register_of_a_lists_a_members_with_a_numbers(self):
        wizard = self.env["telecoop.register.wizard"].with_company(self.company_b)
        rows = wizard._get_register(self.company, fields.Date.to_date("2026-12-31"))
        self.assertEqual(
            {(r["partner"].name, r["member_number"]) for r in rows},
            {("Paula", f"T{self.paula.id:06d}"), ("Alice", f"T{self.alice.id:06d}")},
        )
        rows_b = wizard._get_register(self.company_b, fields.Date.to_date("2026-12-31"))
        self.assertEqual(
            {(r["partner"].name, r["member_number"]) for r in rows_b}, {("Paula", "B-0007")}
        )

    def test_migration_builds_one_membership_per_partner_and_company(self):
        """19.0.2.0.0 on a database of 19.0.1.0.0: the old card becomes A's membership,
        the shares held in B a membership of B."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("DELETE FROM telecoop_membership")
        cr.execute(
            "ALTER TABLE res_partner ADD COLUMN telecoop_member_number varchar, "
            "ADD COLUMN telecoop_college_id int, ADD COLUMN telecoop_is_member boolean, "
            "ADD COLUMN telecoop_member_since date, ADD COLUMN telecoop_member_until date"
        )
        cr.execute(
            "UPDATE res_partner SET telecoop_member_number = %s, telecoop_college_id = %s, "
            "telecoop_is_member = TRUE, telecoop_member_since = '2025-01-10' WHERE id = %s",
            ("OLD-1", self.college_users.id, self.paula.id),
        )
        cr.execute(
            "UPDATE res_partner SET telecoop_member_number = 'OLD-2', telecoop_is_member = FALSE, "
            "telecoop_member_since = '2025-01-10', telecoop_member_until = '2025-12-31' "
            "WHERE id = %s",
            (self.alice.id,),
        )
        _migration("pre-migrate").migrate(cr, "19.0.1.0.0")
        _migration("post-migrate").migrate(cr, "19.0.1.0.0")
        self.env.invalidate_all()
        # the people of this test (a database with demo data has other holders)
        cr.execute(
            "SELECT partner_id, company_id, member_number, college_id, state, admission_date, "
            "exit_date FROM telecoop_membership WHERE partner_id = ANY(%s) "
            "ORDER BY partner_id, company_id",
            [[self.paula.id, self.alice.id]],
        )
        d = fields.Date.to_date
        self.assertEqual(
            sorted(cr.fetchall()),
            sorted(
                [
                    (self.paula.id, self.company.id, "OLD-1", self.college_users.id, "member",
                     d("2025-01-10"), None),
                    (self.paula.id, self.company_b.id, None, self.college_b.id, "member",
                     d("2024-06-01"), None),
                    # no college: the company of the first share movement
                    (self.alice.id, self.company.id, "OLD-2", None, "former",
                     d("2025-01-10"), d("2025-12-31")),
                ]
            ),
        )  # fmt: skip
        cr.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'res_partner' "
            "AND column_name LIKE 'telecoop_legacy_%%'"
        )
        self.assertEqual(cr.fetchone()[0], 5, "the old columns are kept, renamed")
        self.assertEqual(self.paula.with_company(self.company).telecoop_member_number, "OLD-1")
