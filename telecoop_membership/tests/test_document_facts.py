# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Share documents are facts once they leave draft (issue 15).

Each attack is tried by a user of each group through the ORM, which is what
an RPC call or an import runs; ``TestDocumentFactsRpc`` replays the worst ones
through the JSON-RPC route of the web client.
"""

import json

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from ..models.telecoop_share_document import DEFAULT_MAX_SHARES_PARAM
from .common_accounting import TelecoopAccountingCommon


@tagged("post_install", "-at_install")
class TestDocumentFacts(TelecoopAccountingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profile.write({"capital_floor": 0, "buyback_delay_months": 12})
        cls.other_class = cls.env["telecoop.share.class"].create(
            {
                "name": "Founders share",
                "company_id": cls.company.id,
                "nominal_value": 100,
                "college_id": cls.college_users.id,
            }
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other Coop"})
        cls.alice = cls._create_member("Alice", shares=10, date="2025-01-10")
        cls.bob = cls._create_member("Bob", shares=3, date="2025-02-10")
        cls.eve = cls.env["res.partner"].create({"name": "Eve"})
        # One document of each kind out of draft: 1 share paid (100 EUR) and issued,
        # a transfer done, a buy-back approved by the board.
        cls.request = cls._subscribe_paid(cls.eve, quantity=1)
        cls.transfer = cls._transfer(cls.alice, cls.eve, 2)
        cls.transfer.action_confirm()
        cls.buyback = cls._buyback(cls.alice, 1)
        cls.buyback.action_approve()
        cls.users = (cls.membership_user, cls.membership_manager)

    @classmethod
    def _transfer(cls, giver, receiver, quantity, **vals):
        return cls.env["telecoop.share.transfer"].create(
            {
                "company_id": cls.company.id,
                "from_partner_id": giver.id,
                "to_partner_id": receiver.id,
                "share_class_id": cls.share_class.id,
                "quantity": quantity,
                "date": "2026-02-01",
                **vals,
            }
        )

    @classmethod
    def _buyback(cls, partner, quantity, **vals):
        return cls.env["telecoop.share.buyback"].create(
            {
                "company_id": cls.company.id,
                "partner_id": partner.id,
                "share_class_id": cls.share_class.id,
                "quantity": quantity,
                "request_date": "2026-02-15",
                "decision_date": "2026-03-01",
                **vals,
            }
        )

    def _attacks(self):
        """(document, field, new value) for each fact of each document."""
        common = [
            ("quantity", 40),
            ("share_class_id", self.other_class.id),
            ("company_id", self.other_company.id),
            ("amount", 4000.0),
        ]
        return [
            *((self.request, name, value) for name, value in common),
            (self.request, "partner_id", self.bob.id),
            (self.request, "unit_price", 1.0),
            *((self.transfer, name, value) for name, value in common),
            (self.transfer, "from_partner_id", self.bob.id),
            (self.transfer, "to_partner_id", self.bob.id),
            (self.transfer, "date", "2025-12-31"),
            *((self.buyback, name, value) for name, value in common),
            (self.buyback, "partner_id", self.bob.id),
            (self.buyback, "decision_date", "2026-01-01"),
        ]

    def test_facts_of_a_document_after_draft_never_change(self):
        """The issue's case: 100 EUR paid, then 40 shares written on the request."""
        for document, name, value in self._attacks():
            before = document[name]
            for user in self.users:
                with (
                    self.subTest(document=document._name, field=name, user=user.login),
                    self.assertRaisesRegex(UserError, "can no longer change"),
                ):
                    document.with_user(user).write({name: value})
            # not even the superuser: a correction is a cancellation and a new document
            with self.assertRaisesRegex(UserError, "can no longer change"):
                document.sudo().write({name: value})
            document.invalidate_recordset()
            self.assertEqual(document[name], before)
        self.assertEqual(self.request.share_line_ids.quantity, 1)
        self.assertEqual(self.currency.compare_amounts(self.request.amount, 100), 0)

    def test_the_value_of_a_draft_document_is_its_shares_at_the_nominal_value(self):
        """Red team: a membership user wrote, on drafts, the amount of a buy-back of 1
        share of 100 (3,000, within the capital above its floor: approved, the capital
        entry and the amount owed were 3,000), the unit price of a request (1 EUR a
        share: 5 shares invoiced 5 EUR) and the amount of a transfer. The value is
        computed from the class and the shares, never set."""
        request = self.env["telecoop.subscription.request"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.bob.id,
                "share_class_id": self.share_class.id,
                "quantity": 5,
            }
        )
        drafts = {
            request: [("unit_price", 1.0), ("amount", 5.0)],
            self._buyback(self.bob, 1): [("amount", 3000.0)],
            self._transfer(self.bob, self.eve, 1): [("amount", 1.0)],
        }
        for document, attacks in drafts.items():
            expected = document.amount
            for name, value in attacks:
                for user in self.users:
                    with (
                        self.subTest(document=document._name, field=name, user=user.login),
                        self.assertRaisesRegex(UserError, "computed from"),
                    ):
                        document.with_user(user).write({name: value})
            document.invalidate_recordset()
            self.assertEqual(self.currency.compare_amounts(document.amount, expected), 0)
        self.assertEqual(self.currency.compare_amounts(request.amount, 500), 0)
        # given at creation, the computed value wins
        created = self._buyback(self.bob, 1, amount=3000.0)
        self.assertEqual(self.currency.compare_amounts(created.amount, 100), 0)
        # the same value written again is no change (a form saving it as it is)
        request.with_user(self.membership_user).write({"unit_price": 100.0, "quantity": 4})
        self.assertEqual(self.currency.compare_amounts(request.amount, 400), 0)

    def test_an_import_cannot_change_a_fact(self):
        """The import of the web client (``load``) writes through the same guard."""
        for user in self.users:
            with self.subTest(user=user.login):
                result = (
                    self.env["telecoop.subscription.request"]
                    .with_user(user)
                    .load([".id", "quantity"], [[str(self.request.id), "40"]])
                )
                self.assertFalse(result["ids"])
                self.assertIn("can no longer change", result["messages"][0]["message"])
        self.request.invalidate_recordset()
        self.assertEqual(self.request.quantity, 1)

    def test_writing_the_same_values_is_not_a_change(self):
        """An import that sends back the record as it is does not fail."""
        self.request.with_user(self.membership_manager).write(
            {"quantity": 1, "share_class_id": self.share_class.id, "partner_id": self.eve.id}
        )
        self.request.with_user(self.membership_manager).refusal_reason = "none"

    def test_workflow_fields_are_written_by_the_buttons_only(self):
        draft = self._request(self.bob)
        attacks = [
            (draft, {"state": "done"}),
            (self.request, {"state": "draft"}),
            (self.request, {"invoice_id": False}),
            (self.buyback, {"state": "draft"}),
            (self.buyback, {"capital_move_id": False}),
            (self.transfer, {"state": "draft"}),
        ]
        for document, vals in attacks:
            for user in self.users:
                with (
                    self.subTest(document=document._name, vals=vals, user=user.login),
                    self.assertRaisesRegex(UserError, "through its buttons only"),
                ):
                    document.with_user(user).write(vals)
        self.assertEqual((draft.state, self.request.state), ("draft", "done"))

    def test_documents_are_created_in_draft(self):
        """A buy-back created 'approved' would be paid out without leaving the register."""
        for user in self.users:
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "as a draft"):
                self.env["telecoop.share.buyback"].with_user(user).create(
                    {
                        "company_id": self.company.id,
                        "partner_id": self.bob.id,
                        "share_class_id": self.share_class.id,
                        "quantity": 1,
                        "state": "approved",
                    }
                )
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "as a draft"):
                self.env["telecoop.subscription.request"].with_user(user).create(
                    {
                        "company_id": self.company.id,
                        "partner_id": self.bob.id,
                        "share_class_id": self.share_class.id,
                        "quantity": 1,
                        "state": "paid",
                    }
                )
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "workflow"):
                self.env["telecoop.subscription.request"].with_user(user).create(
                    {
                        "company_id": self.company.id,
                        "partner_id": self.bob.id,
                        "share_class_id": self.share_class.id,
                        "quantity": 1,
                        "invoice_id": self.request.invoice_id.id,
                    }
                )
        copy = self.request.copy()
        self.assertEqual((copy.state, copy.invoice_id.id), ("draft", False))

    def test_draft_documents_can_be_corrected(self):
        draft = self._request(self.bob).with_user(self.membership_user)
        draft.write({"quantity": 2, "share_class_id": self.other_class.id})
        self.assertEqual(self.currency.compare_amounts(draft.amount, 200), 0)

    # -- pending buy-backs and transfers ------------------------------------------

    def test_pending_buybacks_never_exceed_the_holding(self):
        """Bob holds 3: buy-backs of 1 and 2 are filed, a third of 1 is refused."""
        self._buyback(self.bob, 1)
        self._buyback(self.bob, 2)
        with self.assertRaisesRegex(UserError, r"Bob holds 3 shares .* take out 4"):
            self._buyback(self.bob, 1)
        self.assertEqual(
            self.env["telecoop.share.buyback"].search_count([("partner_id", "=", self.bob.id)]), 2
        )

    def test_pending_transfers_and_buybacks_count_together(self):
        buyback = self._buyback(self.bob, 2)
        with self.assertRaisesRegex(UserError, "take out 4"):
            self._transfer(self.bob, self.eve, 2)
        self._transfer(self.bob, self.eve, 1)
        # growing a draft is checked too, through any user
        with self.assertRaisesRegex(UserError, "take out 4"):
            buyback.with_user(self.membership_user).quantity = 3
        # once a draft is cancelled its shares are free again
        buyback.action_cancel()
        self._buyback(self.bob, 2)

    def test_portal_buyback_counts_the_pending_ones(self):
        self._buyback(self.bob, 3)
        with self.assertRaisesRegex(UserError, "take out 4"):
            self.env["telecoop.share.buyback"]._portal_request(self.bob, self.share_class, 1)

    def test_register_lock_also_writes_the_version_row(self):
        """Odoo reads in REPEATABLE READ: the advisory lock alone lets a transaction
        that waited read the register of before; the version row written under the
        lock makes the second of two concurrent requests fail and be replayed."""
        version = self.profile.register_version
        self._buyback(self.bob, 1)
        self.assertEqual(self.profile.register_version, version + 1)
        # (the row is uncommitted here, so another connection cannot be shown waiting
        # on it; the advisory lock is, in test_transfer_buyback.py)

    # -- bounds -------------------------------------------------------------------

    def test_a_trillion_shares_is_a_clear_error(self):
        for model in ("telecoop.subscription.request", "telecoop.share.buyback"):
            with (
                self.subTest(model=model),
                self.assertRaisesRegex(ValidationError, "between 1 and 2147483647"),
            ):
                self.env[model].with_user(self.membership_user).create(
                    {
                        "company_id": self.company.id,
                        "partner_id": self.bob.id,
                        "share_class_id": self.share_class.id,
                        "quantity": 10**12,
                    }
                )
        draft = self._request(self.bob)
        with self.assertRaisesRegex(ValidationError, "between 1 and"):
            draft.with_user(self.membership_user).quantity = 10**12
        with self.assertRaisesRegex(ValidationError, "between 1 and"):
            draft.with_user(self.membership_user).quantity = -5
        with self.assertRaisesRegex(UserError, "between 1 and"):
            self.env["telecoop.subscription.request"]._portal_subscribe(
                self.bob, self.share_class, 10**12
            )

    def test_statutes_maximum_applies_to_one_document(self):
        # statutes 50, class 50 (tests/common.py)
        with self.assertRaisesRegex(ValidationError, "at most 50 .statutes and share class"):
            self._request(self.bob, quantity=51)
        self.share_class.max_per_member = 20
        with self.assertRaisesRegex(ValidationError, "at most 20"):
            self._request(self.bob, quantity=21)

    def test_default_maximum_when_the_statutes_set_none(self):
        """The issue's case: no limit in the statutes, 2,000,000,000 shares asked."""
        self.profile.max_shares_per_member = 0
        self.share_class.max_per_member = 0
        self.other_class.max_per_member = 0
        with self.assertRaisesRegex(ValidationError, "at most 100000 .default maximum"):
            self._request(self.bob, quantity=2_000_000_000, share_class=self.other_class)
        for value in ("0", "-5", "many"):  # a bad parameter keeps the default maximum
            self.env["ir.config_parameter"].set_param(DEFAULT_MAX_SHARES_PARAM, value)
            with self.assertRaisesRegex(ValidationError, "at most 100000 .default maximum"):
                self._request(self.bob, quantity=100_001, share_class=self.other_class)
        self.env["ir.config_parameter"].set_param(DEFAULT_MAX_SHARES_PARAM, "500")
        with self.assertRaisesRegex(ValidationError, "at most 500"):
            self._request(self.bob, quantity=501, share_class=self.other_class)
        request = self._request(self.bob, quantity=500, share_class=self.other_class)
        self.assertEqual(request.quantity, 500)


@tagged("post_install", "-at_install")
class TestDocumentFactsRpc(HttpCase):
    """The web client's JSON-RPC: a clear error in the answer, never a 500."""

    def _call(self, model, method, args, kwargs=None):
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_rpc_errors_are_clear(self):
        env = self.env
        company = env["res.company"].create({"name": "RPC Coop"})
        env.user.company_ids |= company
        profile = env["telecoop.statute.profile"].create(
            {
                "name": "RPC statutes",
                "company_id": company.id,
                "legal_form": "coop",
                "college_weight_min": 0,
                "college_weight_max": 100,
            }
        )
        college = env["telecoop.college"].create(
            {"name": "All", "code": "all", "vote_weight": 100, "profile_id": profile.id}
        )
        share_class = env["telecoop.share.class"].create(
            {"name": "Share", "company_id": company.id, "nominal_value": 10,
             "college_id": college.id}
        )  # fmt: skip
        partner = env["res.partner"].create({"name": "Rpc Member"})
        user = env["res.users"].create(
            {
                "name": "Rpc Staff",
                "login": "tc_rpc_staff",
                "password": "tc_rpc_staff",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "group_ids": [
                    (4, env.ref("telecoop_membership.telecoop_membership_group_manager").id)
                ],
            }
        )
        self.authenticate(user.login, user.login)
        answer = self._call(
            "telecoop.subscription.request",
            "create",
            [
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "share_class_id": share_class.id,
                    "quantity": 10**12,
                }
            ],
        )
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.ValidationError")
        self.assertIn("between 1 and", answer["error"]["data"]["message"])
        request = env["telecoop.subscription.request"].create(
            {
                "company_id": company.id,
                "partner_id": partner.id,
                "share_class_id": share_class.id,
                "quantity": 1,
            }
        )
        request.sudo().write({"state": "validated"})
        answer = self._call(
            "telecoop.subscription.request", "write", [request.ids, {"quantity": 40}]
        )
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError")
        self.assertIn("can no longer change", answer["error"]["data"]["message"])
        self.assertEqual(request.quantity, 1)
