# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a person reads: MB/GB, minutes, 06 12 34 56 78, months, the member's time."""

import html
import json
import re
from datetime import date, datetime

import pytz

from odoo.tests import HttpCase, tagged

from .common import GB
from .test_portal_lines import PortalLinesCommon


@tagged("post_install", "-at_install")
class TestBackOfficeUnits(PortalLinesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")

    def test_rated_usage_and_records_read_in_units(self):
        self._insert_records(
            [
                (self.line_one, self._at(1), "data", 1_536 * 10**6, "national"),
                (self.line_one, self._at(2), "voice", 90, "national"),
            ]
        )
        self._rate()
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_one.id)])
        by_type = {row.usage_type: row for row in rated}
        # the raw values stay for exports, the display reads as a person reads
        self.assertEqual(by_type["data"].quantity, 1_536_000_000)
        self.assertEqual(by_type["data"].quantity_display, "1.54 GB")
        self.assertEqual(by_type["voice"].quantity, 90)
        self.assertEqual(by_type["voice"].quantity_display, "1 min 30 s")
        french = by_type["data"].with_context(lang="fr_FR")
        self.assertEqual(french.quantity_display, "1,54 Go")
        records = self.env["telecoop.usage.record"].search([("line_id", "=", self.line_one.id)])
        self.assertEqual(sorted(records.mapped("quantity_display")), ["1 min 30 s", "1.54 GB"])

    def test_alert_values_read_in_gb(self):
        alert = self.env["telecoop.mobile.line.alert"].new(
            {
                "line_id": self.line_one.id,
                "period": self.first,
                "kind": "data_band",
                "percent": 80,
                "value": 4.5 * GB,
                "limit": 5 * GB,
            }
        )
        self.assertEqual((alert.value_display, alert.limit_display), ("4.5 GB", "5 GB"))
        self.assertEqual(alert.message, "Line 06 00 00 00 01: 4.5 GB used, 80% of the 5 GB band.")
        self.assertEqual(self.line_one.msisdn_display, "06 00 00 00 01")
        template = self.env.ref("telecoop_mobile_billing.mail_template_line_alert")
        stored = self.env["telecoop.mobile.line.alert"].create(
            {
                "line_id": self.line_one.id,
                "period": self.first,
                "kind": "data_band",
                "percent": 80,
                "value": 4.5 * GB,
                "limit": 5 * GB,
            }
        )
        subject = template._render_field("subject", stored.ids)[stored.id]
        self.assertEqual(subject, "Usage alert on your line 06 00 00 00 01")

    def test_billing_run_period_is_a_month(self):
        run = self.env["telecoop.billing.run"].new({"period": date(2026, 11, 1)})
        self.assertEqual(run.with_context(lang="en_US").period_month, "November 2026")
        self.assertEqual(run.with_context(lang="fr_FR").period_month, "novembre 2026")


@tagged("post_install", "-at_install")
class TestPortalUnits(PortalLinesCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_one.password = cls.user_one.login
        cls.user_one.partner_id.tz = "Europe/Paris"
        # a family with more lines than a page of /my/lines (20)
        for index in range(21):
            cls._create_line(
                f"3361000{index:04d}",
                cls.plan_step,
                partner=cls.user_one.partner_id,
                activation=f"2026-01-{index + 2:02d}",
            )

    def setUp(self):
        super().setUp()
        self.authenticate(self.user_one.login, self.user_one.login)

    @staticmethod
    def _rows(page):
        return re.findall(
            r'<tr class="o_telecoop_line_row">.*?<a href="[^"]+">([^<]+)</a>', page.text, re.S
        )

    def test_lines_list_pager_sorting_breadcrumbs(self):
        page = self.url_open("/my/lines")
        self.assertEqual(page.status_code, 200)
        rows = self._rows(page)
        self.assertEqual(len(rows), 20)
        # numbers as a person reads them, sorted by number: line one first
        self.assertEqual(rows[0], "06 00 00 00 01")
        self.assertEqual(rows[1], "06 10 00 00 00")
        self.assertNotIn(">33600000001<", page.text)
        self.assertIn('href="/my/lines/page/2?sortby=msisdn"', page.text)
        self.assertIn("o_portal_submenu", page.text)
        self.assertRegex(page.text, r'breadcrumb-item active">\s*My mobile lines')
        second = self.url_open("/my/lines/page/2?sortby=msisdn")
        self.assertEqual(self._rows(second), ["06 10 00 00 19", "06 10 00 00 20"])
        # sorted by activation, newest first: the last family line opened on 22 January
        newest = self.url_open("/my/lines?sortby=activation")
        self.assertEqual(self._rows(newest)[0], "06 10 00 00 20")
        self.assertIn("Sort By", newest.text)

    def test_line_page_units_and_the_members_time(self):
        paris = pytz.timezone("Europe/Paris")
        # a call at 09:00 in Paris on the first day of this month
        local = paris.localize(datetime.combine(self.first, datetime.min.time()).replace(hour=9))
        utc = local.astimezone(pytz.utc).replace(tzinfo=None)
        self._insert_records(
            [
                (self.line_one, self._at(1, 7), "data", 1_536 * 10**6, "national"),
                (self.line_one, f"{utc:%Y-%m-%d %H:%M:%S}", "voice", 90, "national"),
            ]
        )
        self._rate()
        page = self.url_open(f"/my/lines/{self.line_one.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('<div class="fs-4 o_telecoop_data">1.54 GB</div>', page.text)
        self.assertIn("1 min 30 s", page.text)
        self.assertIn("Line 06 00 00 00 01", page.text)
        self.assertRegex(page.text, r'breadcrumb-item active">\s*06 00 00 00 01')
        freshness = re.search(r'o_telecoop_freshness">(.*?)</p>', page.text, re.S).group(1)
        self.assertIn("09:00:00", freshness)
        self.assertNotIn(f"{utc:%H:%M}:00", freshness)
        # the chart's labels are months a person reads, not "26-06"
        self.assertIn(f"{self.first:%b} {self.first:%Y}", page.text)
        chart = _chart(page)
        self.assertEqual(chart["axes"], {"data": "GB", "amount": "Amount"})
        self.assertEqual(chart["title"], "Data and amount per month")
        self.assertEqual(chart["scale"]["data_label"], "1.54 GB")
        # 14.00 + 20 % VAT for a consumer: 16.80, with the company's currency
        symbol = self.line_one.currency_id.symbol
        self.assertIn("16.80", chart["scale"]["amount_label"])
        self.assertIn(symbol, chart["scale"]["amount_label"])
        title = chart["months"][-1]["title"]
        self.assertTrue(title.startswith(f"{self.first:%B %Y}: 1.54 GB, "), title)
        self.assertIn("16.80", title)


def _chart(page):
    """The chart's data as the page gives it to the script (``data-history``)."""
    found = re.search(r'<div[^>]*o_telecoop_usage_chart[^>]*data-history="([^"]*)"', page.text)
    return json.loads(html.unescape(found.group(1)))


@tagged("post_install", "-at_install")
class TestPortalUnitsFrench(PortalLinesCommon, HttpCase):
    """The line page of a member who reads French, in Paris."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.user_one.password = cls.user_one.login
        cls.user_one.write({"lang": "fr_FR", "tz": "Europe/Paris"})
        cls.line_one.alert_band_percent = 80

    def test_line_page_in_french(self):
        paris = pytz.timezone("Europe/Paris")
        local = paris.localize(datetime.combine(self.first, datetime.min.time()).replace(hour=9))
        utc = local.astimezone(pytz.utc).replace(tzinfo=None)
        self._insert_records(
            [
                (self.line_one, self._at(1, 7), "data", 1_536 * 10**6, "national"),
                (self.line_one, f"{utc:%Y-%m-%d %H:%M:%S}", "voice", 90, "national"),
            ]
        )
        self._rate()
        alert = self.env["telecoop.mobile.line.alert"].create(
            {
                "line_id": self.line_one.id,
                "period": self.first,
                "kind": "data_band",
                "percent": 80,
                "value": 4.5 * GB,
                "limit": 5 * GB,
            }
        )
        self.authenticate(self.user_one.login, self.user_one.login)
        page = self.url_open(f"/my/lines/{self.line_one.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('<div class="fs-4 o_telecoop_data">1,54 Go</div>', page.text)
        self.assertIn("1 min 30 s", page.text)
        self.assertIn("06 00 00 00 01", page.text)
        self.assertNotIn(">33600000001<", page.text)
        # the last usage: 09:00 in Paris, on a date written as French writes it
        freshness = re.search(r'o_telecoop_freshness">(.*?)</p>', page.text, re.S).group(1)
        self.assertIn(f"{self.first:%d/%m/%Y}", freshness)
        self.assertIn("09:00", freshness)
        # the alert: its date and time in Paris, dd/mm/yyyy hh:mm
        created = pytz.utc.localize(alert.create_date).astimezone(paris)
        shown = re.search(r'o_telecoop_alert">\s*<small class="text-muted">([^<]*)<', page.text)
        self.assertEqual(shown.group(1).strip(), f"{created:%d/%m/%Y %H:%M}")
        # the chart: its axis titles, scale and tooltips in French, written by the server
        chart = _chart(page)
        self.assertEqual(chart["axes"], {"data": "Go", "amount": "Montant"})
        self.assertEqual(chart["title"], "Données et montant par mois")
        self.assertEqual(chart["scale"]["data_label"], "1,54 Go")
        self.assertIn("16,80", chart["scale"]["amount_label"])
        self.assertIn(self.line_one.currency_id.symbol, chart["scale"]["amount_label"])
        self.assertRegex(chart["months"][-1]["title"], r"^\w+ \d{4} : 1,54 Go, .*16,80")
