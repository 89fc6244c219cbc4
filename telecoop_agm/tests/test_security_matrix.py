# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Security matrix of the assemblies addon: every record rule, every portal route.

Roles (``telecoop_membership/tests/security_matrix.py``): ``owner``, Alice, a
member in the electorate (portal); ``member2``, Bob, another voter (portal);
``non_member``, a portal user of the cooperative outside the electorate;
``user`` and ``manager``, staff of the assemblies' groups; ``other_staff``, an
assemblies manager of another cooperative. The actions of each role on the
assemblies (convene, tally, ...) are the table of ``test_roles``; this one is
about reaching records and pages. Two test classes share the table: the
assemblies, and the surplus allocation (which needs the accounting).
"""

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.telecoop_membership.tests.security_matrix import (
    RouteMatrixMixin,
    RuleMatrixMixin,
    matrix_users,
)

from .common import AgmCommon
from .test_surplus_allocation_wizard import SurplusAllocationCommon

NONE = "----"
R = "r---"
ALL = "rwcu"
A = "telecoop_agm."
USER_GROUPS = "base.group_user,telecoop_agm.telecoop_agm_group_user"
MANAGER_GROUPS = (
    "base.group_user,account.group_account_manager,telecoop_agm.telecoop_agm_group_manager"
)

# model: (its rules, then the operations allowed per role:
#         owner, member2, non_member, user, manager, other_staff)
ASSEMBLY_RULES = {
    # a voter reads the assemblies they are called to, once convened
    "telecoop.assembly": (
        (A + "telecoop_assembly_rule_company", A + "telecoop_assembly_rule_portal"),
        R,
        R,
        NONE,
        "rwc-",
        ALL,
        NONE,
    ),
    "telecoop.resolution": (
        (A + "telecoop_resolution_rule_company", A + "telecoop_resolution_rule_portal"),
        R,
        R,
        NONE,
        ALL,
        ALL,
        NONE,
    ),
    "telecoop.resolution.choice": (
        (
            A + "telecoop_resolution_choice_rule_company",
            A + "telecoop_resolution_choice_rule_portal",
        ),
        R,
        R,
        NONE,
        ALL,
        ALL,
        NONE,
    ),
    "telecoop.assembly.college": (
        (A + "telecoop_assembly_college_rule_company",),
        NONE,
        NONE,
        NONE,
        R,
        R,
        NONE,
    ),
    "telecoop.assembly.voter": (
        (A + "telecoop_assembly_voter_rule_company",),
        NONE,
        NONE,
        NONE,
        "rw--",
        "rw--",
        NONE,
    ),
    "telecoop.assembly.proxy": (
        (A + "telecoop_assembly_proxy_rule_company",),
        NONE,
        NONE,
        NONE,
        "rwc-",
        "rwc-",
        NONE,
    ),
    # results, boxes and participation: written by the tally and the casting code only
    "telecoop.resolution.result": (
        (A + "telecoop_resolution_result_rule_company",),
        NONE,
        NONE,
        NONE,
        R,
        R,
        NONE,
    ),
    "telecoop.ballot": (
        (A + "telecoop_ballot_rule_company",),
        NONE,
        NONE,
        NONE,
        R,
        R,
        NONE,
    ),
    "telecoop.ballot.secret": (
        (A + "telecoop_ballot_secret_rule_company",),
        NONE,
        NONE,
        NONE,
        R,
        R,
        NONE,
    ),
    "telecoop.ballot.participation": (
        (A + "telecoop_ballot_participation_rule_company",),
        NONE,
        NONE,
        NONE,
        R,
        R,
        NONE,
    ),
    # the form of a room ballot (a member and a choice): its author only, here the user
    "telecoop.ballot.entry": (
        (A + "telecoop_ballot_entry_rule_own",),
        NONE,
        NONE,
        NONE,
        ALL,
        NONE,
        NONE,
    ),
}
ALLOCATION_RULES = {
    "telecoop.surplus.allocation": (
        (A + "telecoop_surplus_allocation_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
    # a member reads their own interest line, once the allocation is posted
    "telecoop.surplus.allocation.line": (
        (
            A + "telecoop_surplus_allocation_line_rule_company",
            A + "telecoop_surplus_allocation_line_rule_portal",
        ),
        R, NONE, NONE, R, ALL, NONE,
    ),
    "telecoop.tmo.rate": (
        (A + "telecoop_tmo_rate_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
    "telecoop.interest.withholding": (
        (A + "telecoop_interest_withholding_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
}  # fmt: skip
ALL_RULES = {**ASSEMBLY_RULES, **ALLOCATION_RULES}

LOGIN = "->/web/login"
PAGE = "->/my/assemblies/N"
# url rule: answer per role: anonymous, owner, member2, non_member, user, other_staff
ASSEMBLY_ROUTES = {
    "/my/assemblies": (LOGIN, 200, 200, 200, 200, 200),
    "/my/assemblies/page/<int:page>": (LOGIN, 200, 200, 200, 200, 200),
    "/my/assemblies/<int:assembly_id>": (LOGIN, 200, 200, "->/my", 200, "->/my"),
    # the exported box is for staff: a voter gets a 403, whoever cannot read the assembly
    # a 404; the box of an open vote is not exported yet (422, with its sentence)
    "/telecoop_agm/assemblies/<int:assembly_id>/ballot-box.json": (
        LOGIN, 403, 403, 404, 422, 404,
    ),
    # a vote on the options: recorded for the two voters (the page with the receipt); the
    # staff vote in the room (a sentence on the assembly's page)
    "/my/assemblies/<int:assembly_id>/vote": (LOGIN, 200, 200, "->/my", PAGE, "->/my"),
    "/my/assemblies/<int:assembly_id>/receipt": (LOGIN, PAGE, PAGE, "->/my", PAGE, "->/my"),
    "/my/assemblies/<int:assembly_id>/proxy": (LOGIN, PAGE, PAGE, "->/my", PAGE, "->/my"),
    # a document of the convocation: the electorate only, not found for anyone else
    "/my/assemblies/<int:assembly_id>/documents/<int:attachment_id>": (
        404, 200, 200, 404, 404, 404,
    ),
}  # fmt: skip
ALLOCATION_ROUTES = {
    "/my/shares/interest/<int:line_id>": (LOGIN, 200, "->/my", "->/my", 200, "->/my"),
}  # fmt: skip
ALL_ROUTES = {**ASSEMBLY_ROUTES, **ALLOCATION_ROUTES}


@tagged("post_install", "-at_install")
class TestAssemblySecurityMatrix(RuleMatrixMixin, RouteMatrixMixin, HttpCase, AgmCommon):
    ADDON = "telecoop_agm"
    RULES = ASSEMBLY_RULES
    ADDON_RULES = ALL_RULES
    ROUTES = ASSEMBLY_ROUTES
    ADDON_ROUTES = ALL_ROUTES

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.other_company = env["res.company"].create({"name": "Matrix Other Assembly Coop"})
        cls.users = matrix_users(
            cls, "sm_a", cls.alice, cls.bob, USER_GROUPS, MANAGER_GROUPS, cls.other_company
        )
        cls.logins = {role: user.login for role, user in cls.users.items()}
        cls.document = env["ir.attachment"].create(
            {"name": "comptes-annuels.pdf", "raw": b"%PDF-1.4 annual accounts"}
        )
        cls.assembly = cls._open_assembly(name="Open", document_ids=cls.document.ids)
        accounts, cls.surplus = cls.assembly.resolution_ids.sorted("sequence")
        ballot = cls._vote(cls, cls.assembly, cls.alice, accounts, "for")
        proxy = cls.assembly._portal_give_proxy(cls.carol, cls.erin.telecoop_member_number)
        # a tallied assembly with a secret resolution, for the results and the secret box
        tallied = cls._create_assembly(
            name="Tallied",
            resolution_ids=[Command.create({"name": "Board", "sequence": 1, "secret": True})],
        )
        tallied.action_convene()
        tallied.action_open()
        board = tallied.resolution_ids
        cls._vote(cls, tallied, cls.alice, board, "for")
        tallied.action_close()
        tallied.action_tally()
        dan = cls._voter(cls.assembly, cls.dan)
        dan.present = True
        entry = (
            env["telecoop.ballot.entry"]
            .with_user(cls.users["user"])
            .create(
                {
                    "assembly_id": cls.assembly.id,
                    "resolution_id": accounts.id,
                    "voter_id": dan.id,
                    "choice_id": cls._choice(accounts, "against").id,
                }
            )
        )
        cls.records = {
            "telecoop.ballot.entry": entry.sudo(),
            "telecoop.assembly": cls.assembly,
            "telecoop.resolution": accounts,
            "telecoop.resolution.choice": accounts.choice_ids[0],
            "telecoop.assembly.college": cls.assembly.college_ids[0],
            "telecoop.assembly.voter": cls._voter(cls.assembly, cls.alice),
            "telecoop.assembly.proxy": proxy,
            "telecoop.resolution.result": env["telecoop.resolution.result"].search(
                [("resolution_id", "=", board.id)], limit=1
            ),
            "telecoop.ballot": ballot,
            "telecoop.ballot.secret": env["telecoop.ballot.secret"].search(
                [("resolution_id", "=", board.id)]
            ),
            "telecoop.ballot.participation": env["telecoop.ballot.participation"].search(
                [("resolution_id", "=", board.id), ("voter_id.partner_id", "=", cls.alice.id)]
            ),
        }

    def route_rows(self):
        page = f"/my/assemblies/{self.assembly.id}"
        vote = {
            "resolution_id": str(self.surplus.id),
            "choice_id": str(self._choice(self.surplus, "reserves").id),
        }
        urls = {
            "/my/assemblies": ("GET", "/my/assemblies", None),
            "/my/assemblies/page/<int:page>": ("GET", "/my/assemblies/page/2", None),
            "/my/assemblies/<int:assembly_id>": ("GET", page, None),
            "/telecoop_agm/assemblies/<int:assembly_id>/ballot-box.json": (
                "GET", f"/telecoop_agm/assemblies/{self.assembly.id}/ballot-box.json", None,
            ),
            "/my/assemblies/<int:assembly_id>/vote": ("POST", f"{page}/vote", vote),
            "/my/assemblies/<int:assembly_id>/receipt": (
                "POST", f"{page}/receipt", {"receipt": "not-a-receipt"},
            ),
            "/my/assemblies/<int:assembly_id>/proxy": (
                "POST", f"{page}/proxy", {"holder_number": self.dan.telecoop_member_number},
            ),
            "/my/assemblies/<int:assembly_id>/documents/<int:attachment_id>": (
                "GET", f"{page}/documents/{self.document.id}", None,
            ),
        }  # fmt: skip
        return {rule: (*urls[rule], cells) for rule, cells in self.ROUTES.items()}


@tagged("post_install", "-at_install")
class TestAllocationSecurityMatrix(
    RuleMatrixMixin, RouteMatrixMixin, HttpCase, SurplusAllocationCommon
):
    ADDON = "telecoop_agm"
    RULES = ALLOCATION_RULES
    ADDON_RULES = ALL_RULES
    ROUTES = ALLOCATION_ROUTES
    ADDON_ROUTES = ALL_ROUTES

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.users = matrix_users(
            cls,
            "sm_s",
            cls.alice,
            cls.bob,
            USER_GROUPS,
            MANAGER_GROUPS,
            env["res.company"].create({"name": "Matrix Other Allocation Coop"}),
        )
        cls.logins = {role: user.login for role, user in cls.users.items()}
        cls.profile.interest_withholding_ids = [
            Command.create({"year": 2026, "name": "PFNL", "rate": 12.8})
        ]
        wizard = (
            env["telecoop.surplus.allocation.wizard"]
            .with_user(cls.agm_manager)
            .create({"date_to": "2025-12-31", "date": "2026-06-15", "interest_rate": 5})
        )
        allocation = env["telecoop.surplus.allocation"].browse(
            wizard.action_create_allocation()["res_id"]
        )
        allocation.action_post()
        cls.line = allocation.line_ids.filtered(lambda line: line.partner_id == cls.alice)
        cls.records = {
            "telecoop.surplus.allocation": allocation,
            "telecoop.surplus.allocation.line": cls.line,
            "telecoop.tmo.rate": cls.profile.tmo_rate_ids[:1],
            "telecoop.interest.withholding": cls.profile.interest_withholding_ids[:1],
        }

    def route_rows(self):
        url = f"/my/shares/interest/{self.line.id}"
        return {
            "/my/shares/interest/<int:line_id>": (
                "GET", url, None, self.ROUTES["/my/shares/interest/<int:line_id>"],
            ),
        }  # fmt: skip


@tagged("post_install", "-at_install")
class TestSecretVoteThroughThePortal(HttpCase, AgmCommon):
    """A secret ballot cast by a member through ``/vote``, as their browser does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        new_test_user(
            cls.env, login="sm_secret_alice", password="sm_secret_alice",
            groups="base.group_portal", partner_id=cls.alice.id, **company_args,
        )  # fmt: skip
        cls.readers = {
            "agm_user": cls.agm_user,
            "agm_manager": cls.agm_manager,
            "membership_manager": cls.membership_manager,
            "system": new_test_user(
                cls.env, login="sm_secret_system", groups="base.group_user,base.group_system,"
                "telecoop_agm.telecoop_agm_group_manager", **company_args,
            ),
        }  # fmt: skip
        cls.assembly = cls._create_assembly(
            resolution_ids=[Command.create({"name": "Board", "sequence": 1, "secret": True})]
        )
        cls.assembly.action_convene()
        cls.assembly.action_open()
        cls.board = cls.assembly.resolution_ids

    def test_the_choice_goes_to_the_sealed_urn_and_no_group_links_it_to_the_member(self):
        self.authenticate("sm_secret_alice", "sm_secret_alice")
        against = self._choice(self.board, "against")
        response = self.url_open(
            f"/my/assemblies/{self.assembly.id}/vote",
            data={
                "resolution_id": str(self.board.id),
                "choice_id": str(against.id),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers.get("Cache-Control"), "no-store")
        self.env.invalidate_all()
        # recorded: Alice took part; her choice is in no table while the vote is open
        participation = self.env["telecoop.ballot.participation"].search(
            [("resolution_id", "=", self.board.id), ("voted", "=", True)]
        )
        self.assertEqual(participation.voter_id.partner_id, self.alice)
        self.assertEqual(participation.channel, "online")
        self.assertFalse(
            self.env["telecoop.ballot"].search([("resolution_id", "=", self.board.id)])
        )
        self.assertFalse(
            self.env["telecoop.ballot.secret"].search([("resolution_id", "=", self.board.id)])
        )
        self.assembly.action_close()
        self.env.flush_all()
        # shuffled into the secret box at closing: one entry, her choice, nobody on it
        entry = self.env["telecoop.ballot.secret"].search([("resolution_id", "=", self.board.id)])
        self.assertEqual(entry.choice_id, against)
        voter = self._voter(self.assembly, self.alice)
        me = {("res.partner", self.alice.id), ("telecoop.assembly.voter", voter.id)}
        me |= {("res.users", user.id) for user in self.alice.user_ids}
        for name, user in self.readers.items():
            for model in (
                "telecoop.ballot",
                "telecoop.ballot.secret",
                "telecoop.ballot.participation",
            ):
                Model = self.env[model].with_user(user)
                with self.subTest(reader=name, model=model):
                    if not Model.has_access("read"):
                        continue  # this group reads none of the model: nothing to link
                    rows = Model.search([("resolution_id", "=", self.board.id)])
                    for row in rows:
                        refs = {
                            (field.comodel_name, row[fname].id)
                            for fname, field in row._fields.items()
                            if field.type == "many2one" and row[fname]
                        }
                        # a row naming both the member and the choice would unseal the vote
                        self.assertFalse(
                            refs & me and ("telecoop.resolution.choice", against.id) in refs,
                            f"{model} row {row.id} links Alice to her secret choice",
                        )
                    if model == "telecoop.ballot.secret":
                        self.assertEqual(rows.choice_id, against)


@tagged("post_install", "-at_install")
class TestProxyOfAnotherCooperative(HttpCase, AgmCommon):
    def test_a_holder_of_another_cooperative_is_refused_in_a_sentence(self):
        other = self.env["res.company"].create({"name": "Proxy Other Coop"})
        stranger = self.env["res.partner"].create({"name": "Stranger Holder"})
        # a member of the other cooperative, whose number is not one of ours
        self.env["telecoop.membership"].sudo().create(
            {
                "partner_id": stranger.id,
                "company_id": other.id,
                "state": "member",
                "member_number": "OTHER-0001",
            }
        )
        assembly = self._open_assembly()
        new_test_user(
            self.env, login="sm_proxy_bob", password="sm_proxy_bob", groups="base.group_portal",
            partner_id=self.bob.id, company_id=self.company.id, company_ids=self.company.ids,
        )  # fmt: skip
        self.authenticate("sm_proxy_bob", "sm_proxy_bob")
        response = self.url_open(
            f"/my/assemblies/{assembly.id}/proxy",
            data={"holder_number": "OTHER-0001", "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("No member of the electorate has the member number OTHER-0001", response.text)
        for raw in ("Uh-oh", "top-secret", "AccessError"):
            self.assertNotIn(raw, response.text)
        self.assertFalse(
            self.env["telecoop.assembly.proxy"].search([("assembly_id", "=", assembly.id)])
        )
