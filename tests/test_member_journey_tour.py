# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The member journey in headless Chromium: what the member does in the portal.

The tours are in ``telecoop_agm/static/src/js/tours/telecoop_member_journey_tour.js``;
the back-office steps between them run in Python, as staff would do them.
When a tour fails, Odoo saves a screenshot under ``.local/artifacts/screenshots/``.
"""

import importlib.util
import os
import pathlib

from odoo.tests import HttpCase, tagged
from odoo.tools import config

_spec = importlib.util.spec_from_file_location(
    "telecoop_journey_common", os.path.join(os.path.dirname(__file__), "journey_common.py")
)
journey_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(journey_common)

#: where the browser tests keep their screenshots (ignored by git, created when missing)
ARTIFACTS = pathlib.Path(__file__).resolve().parent.parent / ".local" / "artifacts"


@tagged("post_install", "-at_install")
class TestMemberJourneyTour(
    journey_common.TeleCoopStatutes, journey_common.MemberJourney, HttpCase
):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        screenshots = ARTIFACTS / "screenshots"
        screenshots.mkdir(parents=True, exist_ok=True)
        previous = config["screenshots"]
        config["screenshots"] = str(screenshots)
        cls.addClassCleanup(config.__setitem__, "screenshots", previous)

    def test_member_journey_in_the_browser(self):
        self.start_tour("/my/shares", "telecoop_member_journey_subscribe", login=self.person.login)
        request = self.env["telecoop.subscription.request"].search(
            [("partner_id", "=", self.person.partner_id.id)]
        )
        self.assertEqual((request.quantity, request.state, request.source), (1, "draft", "portal"))
        # back office: staff validate, the share is paid, a line is billed, the assembly opens
        member = self._validate_and_pay(request)
        self._admit_the_other_member()
        line, other_line = self._activate_lines(member)
        self._import_the_month(line, other_line)
        self._bill_the_month(line)
        assembly = self._convene()
        self.start_tour("/my/lines", "telecoop_member_journey_member", login=self.person.login)
        voter = assembly.voter_ids.filtered(lambda v: v.partner_id == member)
        ballots = self.env["telecoop.ballot"].sudo().search([("voter_id", "=", voter.id)])
        self.assertEqual(
            sorted(ballots.mapped("choice_id.code")), ["for", "reserves"], "two online ballots"
        )
        self.assertEqual(set(ballots.mapped("channel")), {"online"})
        assembly.action_close()
        assembly.action_tally()
        allocation = assembly.resolution_ids.filtered(lambda r: r.vote_kind == "options")
        self.assertEqual(allocation.winner_choice_id.code, "reserves")
