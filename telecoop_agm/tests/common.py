# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.telecoop_membership.tests.common import TelecoopCommon

from ..services import seal


class AgmCommon(TelecoopCommon):
    """Members in the four colleges of the test cooperative and a draft assembly."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        colleges = {c.code: c for c in cls.profile.college_ids}
        cls.college_employees = colleges["employees"]
        cls.college_founders = colleges["founders"]
        cls.college_partners = colleges["partners"]
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.agm_user = new_test_user(
            cls.env,
            login="tc_agm_user",
            groups="base.group_user,telecoop_agm.telecoop_agm_group_user",
            **company_args,
        )
        cls.agm_manager = new_test_user(
            cls.env,
            login="tc_agm_manager",
            groups="base.group_user,telecoop_agm.telecoop_agm_group_manager",
            **company_args,
        )
        cls.alice = cls._create_member("Alice", shares=10, email="alice@example.com")
        cls.bob = cls._create_member("Bob", email="bob@example.com")
        cls.carol = cls._create_member("Carol", email="carol@example.com")
        cls.dan = cls._create_member("Dan", college=cls.college_employees, email="dan@example.com")
        cls.erin = cls._create_member("Erin", college=cls.college_founders)
        cls.frank = cls._create_member(
            "Frank", college=cls.college_partners, email="frank@example.com"
        )
        # joined after the record date: not in the electorate
        cls.late = cls._create_member("Late", date="2026-03-01", email="late@example.com")
        cls.now = cls.env.cr.now().replace(microsecond=0)

    @classmethod
    def _create_assembly(cls, assembly_type="ordinary", call="first", **vals):
        return cls.env["telecoop.assembly"].create(
            {
                "name": "AGO 2026",
                "company_id": cls.company.id,
                "assembly_type": assembly_type,
                "call": call,
                "date": cls.now + timedelta(days=1),
                "record_date": "2026-02-01",
                "vote_start": cls.now - timedelta(days=1),
                "vote_end": cls.now + timedelta(days=1),
                "resolution_ids": [
                    Command.create({"name": "Accounts", "sequence": 1}),
                    Command.create(
                        {
                            "name": "Surplus",
                            "sequence": 2,
                            "vote_kind": "options",
                            "choice_ids": [
                                Command.create({"name": "Reserves", "code": "reserves"}),
                                Command.create({"name": "Interest", "code": "interest"}),
                            ],
                        }
                    ),
                ],
                **vals,
            }
        )

    @classmethod
    def _open_assembly(cls, **vals):
        assembly = cls._create_assembly(**vals)
        assembly.action_convene()
        assembly.action_open()
        return assembly

    @staticmethod
    def _move_window(assembly, **window):
        """Tests only: move the voting window of a convened assembly, as the clock would.

        The window is frozen at convocation; the seal stands for the time passing.
        """
        assembly.with_context(**seal.sealed_context()).write(window)

    @staticmethod
    def _voter(assembly, partner):
        return assembly.voter_ids.filtered(lambda v: v.partner_id == partner)

    @staticmethod
    def _choice(resolution, code):
        return resolution.choice_ids.filtered(lambda c: c.code == code)

    def _vote(self, assembly, partner, resolution, code, voter=None):
        return assembly._portal_vote(
            partner,
            resolution.id,
            self._choice(resolution, code).id,
            voter.id if voter else None,
        )
