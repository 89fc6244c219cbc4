# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The human formats: worked examples written from the rules, not from the code."""

import unittest
from datetime import date, datetime

from odoo.tests import TransactionCase, tagged

from ..services import units

NNBSP = "\N{NARROW NO-BREAK SPACE}"


class TestUnitsService(unittest.TestCase):
    """Plain unit tests of services/units.py (no database)."""

    def test_data_worked_examples(self):
        # decimal units, as the plans bill data: 1 GB = 10^9 bytes, 1 MB = 10^6
        cases = [
            (1_536 * 10**6, "1.54 GB"),  # 1,536 MB = 1.536 GB, two decimals
            (1_500 * 10**6, "1.5 GB"),  # trailing zero dropped
            (5 * 10**9, "5 GB"),
            (4_500_000_000, "4.5 GB"),
            (1_536 * 10**9, "1,536 GB"),
            (12_345_678, "12.3 MB"),  # one decimal in MB
            (999_960, "1 MB"),  # 999.96 kB rounds to 1,000 kB: written in MB
            (512_300, "512 kB"),
            (999, "999 B"),
            (0, "0 B"),
            (None, "0 B"),
        ]
        for quantity, expected in cases:
            with self.subTest(quantity=quantity):
                self.assertEqual(units.format_data(quantity), expected)

    def test_data_in_french(self):
        self.assertEqual(units.format_data(1_536 * 10**6, "fr_FR"), "1,54 Go")
        self.assertEqual(units.format_data(512_300, "fr_FR"), "512 ko")
        self.assertEqual(units.format_data(12_345_678, "fr_FR"), "12,3 Mo")
        self.assertEqual(units.format_data(1_536 * 10**9, "fr_FR"), f"1{NNBSP}536 Go")

    def test_duration_worked_examples(self):
        cases = [
            (0, "0 s"),
            (45, "45 s"),
            (90, "1 min 30 s"),
            (600, "10 min 00 s"),
            (3_599, "59 min 59 s"),
            (3_725, "1 h 02 min 05 s"),
        ]
        for seconds, expected in cases:
            with self.subTest(seconds=seconds):
                self.assertEqual(units.format_duration(seconds), expected)

    def test_phone_worked_examples(self):
        cases = [
            ("33612345678", "06 12 34 56 78"),
            ("+33612345678", "06 12 34 56 78"),
            ("0612345678", "06 12 34 56 78"),
            ("06 12 34 56 78", "06 12 34 56 78"),
            ("447700900123", "+447700900123"),
            ("ORANGE-INFO", "ORANGE-INFO"),
            ("", ""),
            (False, ""),
        ]
        for number, expected in cases:
            with self.subTest(number=number):
                self.assertEqual(units.format_phone(number), expected)

    def test_month(self):
        self.assertEqual(units.format_month(date(2026, 11, 1)), "November 2026")
        self.assertEqual(units.format_month(date(2026, 11, 1), "fr_FR"), "novembre 2026")
        self.assertEqual(units.format_month(date(2026, 6, 1), short=True), "Jun 2026")


@tagged("post_install", "-at_install")
class TestTelecoopFormat(TransactionCase):
    """The model every page, report and list calls: the language is the reader's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.fmt = cls.env["telecoop.format"]

    def test_reader_language(self):
        self.assertEqual(self.fmt.with_context(lang="en_US").data(1_536 * 10**6), "1.54 GB")
        self.assertEqual(self.fmt.with_context(lang="fr_FR").data(1_536 * 10**6), "1,54 Go")
        self.assertEqual(self.fmt.with_context(lang="fr_FR").month("2026-11-01"), "novembre 2026")
        self.assertEqual(self.fmt.quantity("voice", 90), "1 min 30 s")
        self.assertEqual(self.fmt.quantity("sms", 1234), "1,234")
        self.assertEqual(self.fmt.phone("33612345678"), "06 12 34 56 78")

    def test_datetime_in_the_readers_time_zone(self):
        # 08:00 UTC on 1 December 2026 is 09:00 in Paris (winter time)
        at = datetime(2026, 12, 1, 8, 0)
        text = self.fmt.with_context(lang="en_US", tz="Europe/Paris").datetime(at)
        self.assertIn("9:00", text)
        self.assertNotIn("8:00", text)
        self.assertIn("9:00", self.fmt.datetime(at, tz="Europe/Paris"))

    def test_dates_and_amounts_in_the_readers_language(self):
        fr, en = self.fmt.with_context(lang="fr_FR"), self.fmt.with_context(lang="en_US")
        # 5 March 2027: day first in French, month first in English
        self.assertEqual(fr.date("2027-03-05"), "05/03/2027")
        self.assertEqual(en.date("2027-03-05"), "03/05/2027")
        euro, nbsp = self.env.ref("base.EUR"), "\N{NO-BREAK SPACE}"
        self.assertEqual(fr.amount(1234.5, euro), f"1{nbsp}234,50{nbsp}€")
        self.assertEqual(en.amount(1234.5, euro), f"1,234.50{nbsp}€")
