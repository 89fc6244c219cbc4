# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Roles x actions: the table of the readme (USAGE.md), enforced by the models.

Each pair runs in a savepoint rolled back afterwards, so that every role starts
from the same assemblies: a draft, a convened, an open and a closed one.
"""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AgmCommon

A, X, U = "allowed", "AccessError", "UserError"
STAFF_DO_NOT_VOTE_ONLINE = "staff vote in the room, through the ballot entry"
NO_ATTENDANCE_SHEET = "no attendance sheet in the minutes"
ROLES = ("member", "non_member", "agm_user", "agm_manager", "system", "partner_staff")

# action: outcome per role, in the order of ROLES (the table of readme/USAGE.md)
TABLE = {
    "convene": (X, X, X, A, A, X),
    "edit_resolutions": (X, X, A, A, A, X),
    "open": (X, X, X, A, A, X),
    "enter_room_ballot": (X, X, A, A, A, X),
    "record_presence": (X, X, A, A, A, X),
    "give_proxy": (A, X, A, A, A, X),
    "withdraw_proxy": (A, X, A, A, A, X),
    "vote_online": (A, X, X, X, X, X),
    "close": (X, X, X, A, A, X),
    "tally": (X, X, X, A, A, X),
    "read_ballots": (X, X, A, A, A, X),
    "read_secret_links": (X, X, X, X, A, X),
    "read_participation": (X, X, A, A, A, X),
    "read_minutes": (A, X, A, A, A, X),
    "read_attendance_sheet": (X, X, A, A, A, X),
    "verify_box": (X, X, A, A, A, X),
    "export_box": (X, X, A, A, A, X),
    "export_belenios": (X, X, X, A, A, X),
}


class _RolledBack(Exception):
    """Raised at the end of an allowed action to roll its savepoint back."""


@tagged("post_install", "-at_install")
class TestRoles(AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.other_company = cls.env["res.company"].create({"name": "Partner coop"})
        cls.users = {
            "member": new_test_user(
                cls.env, login="tc_roles_member", groups="base.group_portal",
                partner_id=cls.bob.id, **company_args,
            ),
            # a portal user who became a member after the record date
            "non_member": new_test_user(
                cls.env, login="tc_roles_late", groups="base.group_portal",
                partner_id=cls.late.id, **company_args,
            ),
            "agm_user": cls.agm_user,
            "agm_manager": cls.agm_manager,
            "system": new_test_user(
                cls.env, login="tc_roles_system",
                groups="base.group_user,base.group_system,telecoop_agm.telecoop_agm_group_manager",
                **company_args,
            ),
            # the staff of another cooperative, administrator of its own assemblies
            "partner_staff": new_test_user(
                cls.env, login="tc_roles_partner_staff",
                groups="base.group_user,base.group_system,telecoop_agm.telecoop_agm_group_manager",
                company_id=cls.other_company.id, company_ids=cls.other_company.ids,
            ),
        }  # fmt: skip
        cls.draft = cls._create_assembly(name="Draft")
        cls.convened = cls._create_assembly(name="Convened")
        # the surplus voted in Belenios: its electorate is exported there
        cls.convened.resolution_ids.sorted("sequence")[1].result_source = "belenios"
        cls.convened.action_convene()
        cls.open = cls._open_assembly(name="Open")
        cls.open_accounts = cls.open.resolution_ids[0]
        cls._voter(cls.open, cls.dan).present = True
        cls.ballot = cls.open._portal_vote(
            cls.alice, cls.open_accounts.id, cls._choice(cls.open_accounts, "for").id
        )
        # Carol's proxy to Erin, to be withdrawn
        cls.proxy = cls.open._portal_give_proxy(cls.carol, cls.erin.telecoop_member_number)
        cls.closed = cls._open_assembly(name="Closed")
        cls.closed.sudo()._portal_vote(
            cls.alice,
            cls.closed.resolution_ids[0].id,
            cls._choice(cls.closed.resolution_ids[0], "for").id,
        )
        cls.closed.action_close()
        cls.tallied = cls._open_assembly(name="Tallied")
        cls._voter(cls.tallied, cls.erin).present = True
        cls.tallied.action_close()
        cls.tallied.action_tally()

    def _env_of(self, role):
        user = self.users[role]
        context = dict(self.env.context, allowed_company_ids=user.company_ids.ids)
        return self.env(user=user, context=context)

    def _portal_document(self, env, assembly):
        """What the portal controllers do first: the member must read the assembly."""
        assembly.with_env(env).check_access("read")
        return assembly.sudo()

    # one method per action: it does the action as the user of ``env`` ------------
    def _do_convene(self, env):
        self.draft.with_env(env).action_convene()

    def _do_edit_resolutions(self, env):
        resolution = self.draft.resolution_ids[0].with_env(env)
        resolution.name = "Accounts of 2025"
        resolution.choice_ids[0].name = "Approve"
        env["telecoop.resolution"].create({"assembly_id": self.draft.id, "name": "Added"})

    def _do_open(self, env):
        self.convened.with_env(env).action_open()

    def _do_enter_room_ballot(self, env):
        entry = env["telecoop.ballot.entry"].create(
            {
                "assembly_id": self.open.id,
                "resolution_id": self.open_accounts.id,
                "voter_id": self._voter(self.open, self.dan).id,
                "choice_id": self._choice(self.open_accounts, "against").id,
            }
        )
        entry.action_cast()

    def _do_record_presence(self, env):
        self._voter(self.open, self.frank).with_env(env).present = True

    def _do_give_proxy(self, env):
        if env.user._is_portal():
            self._portal_document(env, self.open)._portal_give_proxy(
                env.user.partner_id, self.alice.telecoop_member_number
            )
        else:  # a paper proxy handed to staff
            env["telecoop.assembly.proxy"].create(
                {
                    "assembly_id": self.open.id,
                    "giver_id": self._voter(self.open, self.frank).id,
                    "holder_id": self._voter(self.open, self.alice).id,
                }
            )

    def _do_withdraw_proxy(self, env):
        if env.user._is_portal():
            # the member withdraws the proxy they gave (here: first give it)
            assembly = self._portal_document(env, self.open)
            assembly._portal_give_proxy(env.user.partner_id, self.frank.telecoop_member_number)
            assembly._portal_withdraw_proxy(env.user.partner_id)
        else:
            self.proxy.with_env(env).action_withdraw()

    def _do_vote_online(self, env):
        if not env.user._is_portal():
            # staff cast nothing online in a member's name: only the portal routes vote
            raise AccessError(STAFF_DO_NOT_VOTE_ONLINE)
        self._portal_document(env, self.open)._portal_vote(
            env.user.partner_id,
            self.open_accounts.id,
            self._choice(self.open_accounts, "against").id,
        )

    def _do_close(self, env):
        self.open.with_env(env).action_close()

    def _do_tally(self, env):
        self.closed.with_env(env).action_tally()

    def _do_read_ballots(self, env):
        env["telecoop.ballot"].browse(self.ballot.id).read(["choice_id", "partner_id"])

    def _do_read_secret_links(self, env):
        env["telecoop.ballot"].browse(self.ballot.id).read(["voter_key", "receipt_hash"])

    def _do_read_participation(self, env):
        rows = self.env["telecoop.ballot.participation"].search(
            [("assembly_id", "=", self.open.id), ("voted", "=", True)]
        )
        rows.with_env(env).read(["partner_id", "channel"])

    def _render_minutes(self, env):
        if env.user._is_portal():  # the portal route renders with sudo after the check
            assembly = self._portal_document(env, self.tallied)
            report = env["ir.actions.report"].sudo()
        else:
            assembly = self.tallied.with_env(env)
            assembly.check_access("read")
            report = env["ir.actions.report"]
        return report._render_qweb_html(
            "telecoop_agm.action_report_assembly_minutes", assembly.ids
        )[0].decode()

    def _do_read_minutes(self, env):
        self.assertIn("Minutes of the general assembly", self._render_minutes(env))

    def _do_read_attendance_sheet(self, env):
        if "Attendance sheet" not in self._render_minutes(env):
            raise AccessError(NO_ATTENDANCE_SHEET)

    def _do_verify_box(self, env):
        self.open.with_env(env).action_verify_ballot_box()

    def _do_export_box(self, env):
        self.closed.with_env(env)._export_ballot_box()

    def _do_export_belenios(self, env):
        self.convened.voter_ids.partner_id.filtered(lambda p: not p.email).email = "x@example.com"
        wizard = env["telecoop.belenios.export"].create({"assembly_id": self.convened.id})
        wizard.action_export()

    def _attempt(self, role, action):
        env = self._env_of(role)
        try:
            with self.env.cr.savepoint():
                getattr(self, f"_do_{action}")(env)
                self.env.flush_all()
                raise _RolledBack
        except _RolledBack:
            return A
        except AccessError:
            return X
        except UserError:
            return U
        finally:
            self.env.invalidate_all()

    def test_roles_by_actions(self):
        for action, outcomes in TABLE.items():
            for role, expected in zip(ROLES, outcomes, strict=True):
                with self.subTest(action=action, role=role):
                    self.assertEqual(self._attempt(role, action), expected)

    def test_partner_staff_on_every_model_of_the_addon(self):
        """The staff of another cooperative read, write and delete nothing of ours."""
        env = self._env_of("partner_staff")
        self.env.flush_all()
        models = self.env["ir.model.data"].search(
            [("module", "=", "telecoop_agm"), ("model", "=", "ir.model")]
        )
        names = {
            model.model
            for model in self.env["ir.model"].browse(models.mapped("res_id"))
            if not self.env[model.model]._transient and not self.env[model.model]._abstract
        }
        self.assertGreaterEqual(len(names), 10)
        checked = set()
        for name in sorted(names):
            Model = self.env[name].sudo()
            if "company_id" not in Model._fields:
                continue
            ours = Model.search([("company_id", "=", self.company.id)], limit=3)
            with self.subTest(model=name):
                self.assertFalse(env[name].search([("id", "in", ours.ids)]))
                if not ours:
                    continue
                checked.add(name)
                with self.assertRaises(AccessError):
                    env[name].browse(ours.ids).read(["company_id"])
                with self.assertRaises(UserError):  # AccessError is a UserError
                    env[name].browse(ours.ids).write({"company_id": self.other_company.id})
                with self.assertRaises(UserError):  # AccessError is a UserError
                    env[name].browse(ours.ids).unlink()
        # the models holding the votes are all among those checked
        self.assertLessEqual(
            {
                "telecoop.assembly",
                "telecoop.assembly.college",
                "telecoop.assembly.voter",
                "telecoop.assembly.proxy",
                "telecoop.resolution",
                "telecoop.resolution.choice",
                "telecoop.resolution.result",
                "telecoop.ballot",
                "telecoop.ballot.participation",
            },
            checked,
        )
