# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The assemblies' portal pages look like Odoo's: tile, breadcrumbs, pager, sorting, times."""

import re
from datetime import datetime

import pytz

from odoo.tests import HttpCase, new_test_user, tagged

from .common import AgmCommon


@tagged("post_install", "-at_install")
class TestAgmPortalPages(HttpCase, AgmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice.tz = "Europe/Paris"
        new_test_user(
            cls.env,
            login="tc_pages_alice",
            password="tc_pages_alice_pw",
            groups="base.group_portal",
            partner_id=cls.alice.id,
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        # a meeting at 09:00 in Paris, more assemblies than a page (20)
        paris = pytz.timezone("Europe/Paris")
        meeting = paris.localize(datetime(2026, 12, 15, 9, 0)).astimezone(pytz.utc)
        cls.assemblies = cls.env["telecoop.assembly"]
        for index in range(21):
            assembly = cls._create_assembly(
                name=f"AGO {index + 1:02d}", date=meeting.replace(tzinfo=None)
            )
            assembly.action_convene()
            cls.assemblies |= assembly

    def setUp(self):
        super().setUp()
        self.authenticate("tc_pages_alice", "tc_pages_alice_pw")

    @staticmethod
    def _names(page):
        return re.findall(r'<td><a href="/my/assemblies/\d+[^"]*">([^<]+)</a></td>', page.text)

    def test_list_pager_sorting_breadcrumbs(self):
        page = self.url_open("/my/assemblies?sortby=name")
        self.assertEqual(page.status_code, 200)
        names = self._names(page)
        self.assertEqual(names, [f"AGO {i:02d}" for i in range(1, 21)])
        self.assertIn('href="/my/assemblies/page/2?sortby=name"', page.text)
        self.assertIn("Sort By", page.text)
        self.assertIn("o_portal_submenu", page.text)
        second = self.url_open("/my/assemblies/page/2?sortby=name")
        self.assertEqual(self._names(second), ["AGO 21"])
        # the meeting at 09:00 in Paris, shown in the member's time zone (UTC is 08:00)
        self.assertIn("12/15/2026 09:00:00", page.text)
        self.assertNotIn("12/15/2026 08:00:00", page.text)

    def test_assembly_page_breadcrumbs_and_time(self):
        assembly = self.assemblies[0]
        page = self.url_open(f"/my/assemblies/{assembly.id}")
        self.assertEqual(page.status_code, 200)
        self.assertRegex(page.text, r'<a href="/my/assemblies">General assemblies</a>')
        self.assertRegex(page.text, r'breadcrumb-item active">AGO 01<')
        self.assertIn("12/15/2026 09:00:00", page.text)

    def test_home_tile_icon(self):
        home = self.url_open("/my/home")
        icon = "/telecoop_agm/static/src/img/assemblies.svg"
        self.assertIn(f'src="{icon}"', home.text)
        response = self.url_open(icon)
        self.assertEqual(response.status_code, 200)
        self.assertIn("svg", response.headers["Content-Type"])
