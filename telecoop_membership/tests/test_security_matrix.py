# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Security matrix of the membership addon: every record rule, every portal route.

Roles (``security_matrix``): ``owner``, the member who owns the records (portal);
``member2``, another member (portal); ``non_member``, a portal user of the
cooperative who holds no share; ``user`` and ``manager``, staff of the
membership groups; ``other_staff``, a membership manager of another cooperative.
"""

from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import TelecoopCommon
from .security_matrix import RouteMatrixMixin, RuleMatrixMixin, matrix_users

NONE = "----"
R = "r---"
ALL = "rwcu"

# model: (its rules, then the operations allowed per role:
#         owner, member2, non_member, user, manager, other_staff)
RULES = {
    "telecoop.statute.profile": (
        ("telecoop_membership.telecoop_statute_profile_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
    "telecoop.college": (
        ("telecoop_membership.telecoop_college_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
    "telecoop.assembly.rule": (
        ("telecoop_membership.telecoop_assembly_rule_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
    # a portal user reads the classes of their cooperative (the subscription form)
    "telecoop.share.class": (
        ("telecoop_membership.telecoop_share_class_rule_company",),
        R, R, R, R, ALL, NONE,
    ),
    # the register: read by its member, written by nobody (movements are appended)
    "telecoop.share.line": (
        (
            "telecoop_membership.telecoop_share_line_rule_company",
            "telecoop_membership.telecoop_share_line_rule_portal",
        ),
        R, NONE, NONE, R, R, NONE,
    ),
    "telecoop.subscription.request": (
        (
            "telecoop_membership.telecoop_subscription_request_rule_company",
            "telecoop_membership.telecoop_subscription_request_rule_portal",
        ),
        R, NONE, NONE, "rwc-", ALL, NONE,
    ),
    "telecoop.share.transfer": (
        ("telecoop_membership.telecoop_share_transfer_rule_company",),
        NONE, NONE, NONE, "rwc-", ALL, NONE,
    ),
    "telecoop.share.buyback": (
        (
            "telecoop_membership.telecoop_share_buyback_rule_company",
            "telecoop_membership.telecoop_share_buyback_rule_portal",
        ),
        R, NONE, NONE, "rwc-", ALL, NONE,
    ),
    "telecoop.register.import": (
        ("telecoop_membership.telecoop_register_import_rule_company",),
        NONE, NONE, NONE, NONE, ALL, NONE,
    ),
    "telecoop.register.import.problem": (
        ("telecoop_membership.telecoop_register_import_problem_rule_company",),
        NONE, NONE, NONE, NONE, ALL, NONE,
    ),
    # the member card: read by its member and the staff, written by code only
    "telecoop.membership": (
        (
            "telecoop_membership.telecoop_membership_rule_company",
            "telecoop_membership.telecoop_membership_rule_portal",
        ),
        R, NONE, NONE, R, R, NONE,
    ),
}  # fmt: skip

LOGIN = "->/web/login"
# url rule: answer per role: anonymous, owner, member2, non_member, user, other_staff
ROUTES = {
    "/my/shares": (LOGIN, 200, 200, 200, 200, 200),
    "/my/shares/certificate": (LOGIN, 200, 200, "->/my/shares", "->/my/shares", "->/my/shares"),
    # the certificate of one membership (the owner's): nobody else finds it, not even staff
    "/my/shares/<int:membership_id>/certificate": (LOGIN, 200, 404, 404, 404, 404),
    # a share class of the cooperative: a request for the member; another cooperative's
    # staff cannot read the class (a sentence on the page)
    "/my/shares/subscribe": (
        LOGIN, "->/my/shares/requests/N", "->/my/shares/requests/N",
        "->/my/shares/requests/N", "->/my/shares/requests/N", 200,
    ),
    # one share back: the two members hold some; the others are told they hold none
    "/my/shares/buyback": (
        LOGIN, "->/my/shares/buybacks/N", "->/my/shares/buybacks/N", 200, 200, 200,
    ),
    "/my/shares/requests/<int:request_id>": (LOGIN, 200, "->/my", "->/my", 200, "->/my"),
    "/my/shares/buybacks/<int:buyback_id>": (LOGIN, 200, "->/my", "->/my", 200, "->/my"),
    # the public form is for visitors: a person with an account is sent to their shares
    "/cooperative/subscribe": (
        200, "->/my/shares", "->/my/shares", "->/my/shares", "->/my/shares", "->/my/shares",
    ),
}  # fmt: skip


@tagged("post_install", "-at_install")
class TestMembershipSecurityMatrix(RuleMatrixMixin, RouteMatrixMixin, HttpCase, TelecoopCommon):
    ADDON = "telecoop_membership"
    RULES = RULES
    ROUTES = ROUTES

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.owner = cls._create_member("Matrix Owner", shares=3)
        cls.member2 = cls._create_member("Matrix Second", shares=2)
        other_company = env["res.company"].create({"name": "Matrix Other Coop"})
        cls.users = matrix_users(
            cls,
            "sm_m",
            cls.owner,
            cls.member2,
            "base.group_user,telecoop_membership.telecoop_membership_group_user",
            "base.group_user,telecoop_membership.telecoop_membership_group_manager",
            other_company,
        )
        cls.logins = {role: user.login for role, user in cls.users.items()}
        owned = {"company_id": cls.company.id, "partner_id": cls.owner.id}
        one = {"share_class_id": cls.share_class.id, "quantity": 1}
        register_import = env["telecoop.register.import"].create({"company_id": cls.company.id})
        cls.records = {
            "telecoop.statute.profile": cls.profile,
            "telecoop.college": cls.college_users,
            "telecoop.assembly.rule": cls.profile.assembly_rule_ids[0],
            "telecoop.share.class": cls.share_class,
            "telecoop.share.line": cls.owner.telecoop_share_line_ids,
            "telecoop.subscription.request": env["telecoop.subscription.request"].create(
                {**owned, **one}
            ),
            "telecoop.share.transfer": env["telecoop.share.transfer"].create(
                {
                    "company_id": cls.company.id,
                    "from_partner_id": cls.owner.id,
                    "to_partner_id": cls.member2.id,
                    **one,
                }
            ),
            "telecoop.share.buyback": env["telecoop.share.buyback"].create({**owned, **one}),
            "telecoop.register.import": register_import,
            "telecoop.register.import.problem": env["telecoop.register.import.problem"].create(
                {"import_id": register_import.id, "file": "members.csv", "message": "x"}
            ),
            "telecoop.membership": env["telecoop.membership"].search(
                [("partner_id", "=", cls.owner.id), ("company_id", "=", cls.company.id)]
            ),
        }

    def route_rows(self):
        request = self.records["telecoop.subscription.request"]
        buyback = self.records["telecoop.share.buyback"]
        one = {"share_class_id": self.share_class.id, "quantity": 1}
        urls = {
            "/my/shares": ("GET", "/my/shares", None),
            "/my/shares/certificate": ("GET", "/my/shares/certificate", None),
            "/my/shares/<int:membership_id>/certificate": (
                "GET", f"/my/shares/{self.records['telecoop.membership'].id}/certificate", None,
            ),
            "/my/shares/subscribe": ("POST", "/my/shares/subscribe", one),
            "/my/shares/buyback": ("POST", "/my/shares/buyback", {**one, "reason": "moving"}),
            "/my/shares/requests/<int:request_id>": (
                "GET", f"/my/shares/requests/{request.id}", None,
            ),
            "/my/shares/buybacks/<int:buyback_id>": (
                "GET", f"/my/shares/buybacks/{buyback.id}", None,
            ),
            "/cooperative/subscribe": (
                "GET", f"/cooperative/subscribe?company_id={self.company.id}", None,
            ),
        }  # fmt: skip
        return {rule: (*urls[rule], cells) for rule, cells in self.ROUTES.items()}

    def test_member_does_not_run_the_steps_of_their_own_documents_by_rpc(self):
        """Red team: the owner, logged in to the portal, called the buttons of her own
        buy-back and request through ``/web/dataset/call_kw`` (any logged-in user
        reaches it): she refused and cancelled them as the board would, the steps
        writing their state as superuser. The steps are the staff's."""
        request = self.records["telecoop.subscription.request"]
        buyback = self.records["telecoop.share.buyback"]
        self.authenticate(self.logins["owner"], self.logins["owner"])
        for record, method in (
            (buyback, "action_refuse"),
            (buyback, "action_cancel"),
            (buyback, "action_approve"),
            (request, "action_refuse"),
            (request, "action_cancel"),
            (request, "action_validate"),
        ):
            with self.subTest(model=record._name, method=method):
                with self.assertRaises(JsonRpcException) as caught, mute_logger("odoo.http"):
                    self.make_jsonrpc_request(
                        f"/web/dataset/call_kw/{record._name}/{method}",
                        {
                            "model": record._name,
                            "method": method,
                            "args": [record.ids],
                            "kwargs": {},
                        },
                    )
                self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
                record.invalidate_recordset()
                self.assertEqual(record.state, "draft")
        self.assertFalse(buyback.share_line_ids)
        self.assertEqual(self.owner.telecoop_share_count, 3)
        # the staff still run them
        buyback.with_user(self.users["user"]).action_refuse()
        self.assertEqual(buyback.state, "refused")
