# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.http import Request
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from odoo.addons.telecoop_membership.tests.pdf import PdfRouteMixin

from .common import GB, MobileBillingCommon

HEADER = "record_id,msisdn,started_at,usage_type,quantity,zone,destination,third_party_amount\n"


class PortalLinesCommon(MobileBillingCommon):
    """Two portal members with a line each, a holder who is not a member, this month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        company_args = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.user_one = new_test_user(
            cls.env, login="tc_line_one", groups="base.group_portal", **company_args
        )
        cls.user_two = new_test_user(
            cls.env, login="tc_line_two", groups="base.group_portal", **company_args
        )
        cls.user_holder = new_test_user(
            cls.env, login="tc_line_holder", groups="base.group_portal", **company_args
        )
        member_one = cls._create_member("Line Member One", email="one@example.org")
        member_two = cls._create_member("Line Member Two", email="two@example.org")
        cls.user_one.partner_id = member_one
        cls.user_two.partner_id = member_two
        cls.user_holder.partner_id.write({"name": "Holder Not Member", "email": "h@example.org"})
        cls.line_one = cls._create_line("33600000001", cls.plan_step, partner=member_one)
        cls.line_two = cls._create_line("33600000002", cls.plan_step, partner=member_two)
        cls.line_holder = cls._create_line(
            "33600000003", cls.plan_classic, partner=cls.user_holder.partner_id
        )
        cls.first = fields.Date.context_today(cls.env["res.partner"]).replace(day=1)

    def _at(self, day=1, hour=8):
        return f"{self.first.replace(day=day)} {hour:02d}:00:00"

    def _rate(self):
        self.env["telecoop.rated.usage"]._rate_period(self.company, self.first)

    def _import_csv(self, rows, name="usage.csv"):
        content = (HEADER + "".join(r + "\n" for r in rows)).encode()
        wizard = self.env["telecoop.usage.upload.wizard"].create(
            {
                "source_id": self.source.id,
                "file": base64.b64encode(content),
                "file_name": name,
            }
        )
        action = wizard.action_import()
        return self.env["telecoop.usage.import"].browse(action["res_id"])

    def _csv_row(self, record_id, line, quantity, usage_type="data", zone="national"):
        # the first instant of the month: never in the future, whatever the day of the run
        started = f"{self.first}T00:00:00+00:00"
        return f"{record_id},{line.msisdn},{started},{usage_type},{quantity},{zone},,"


@tagged("post_install", "-at_install")
class TestPortalLinesModel(PortalLinesCommon):
    def test_tracker_equals_the_invoice_of_the_same_data(self):
        self._insert_records(
            [
                (self.line_one, self._at(1), "data", 6 * GB, "national"),
                (self.line_one, self._at(2), "data", GB // 2, "eu"),
                (self.line_one, self._at(3), "voice", 125, "international", "4420000000"),
                (self.line_one, self._at(3), "voice", 60, "premium", "33899000000", "1.80"),
                (self.line_one, self._at(4), "sms", 3, "international", "4479460000"),
            ]
        )
        self._rate()
        tracker = self.line_one._get_portal_consumption(self.first)
        self.assertEqual(tracker["band_index"], 1)
        self.assertEqual(tracker["band_upper"], Decimal(20))
        self.assertEqual(tracker["data"], 6 * GB + GB // 2)
        self.assertEqual(tracker["voice"], 185)
        self.assertEqual(tracker["third_party_amount"], Decimal("1.80"))
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": self.first}
        )
        # billed once the month has ended (noon UTC on the 1st of the next one)
        with freeze_time(f"{self.first + relativedelta(months=1)} 12:00:00"):
            run.action_start()
        invoice = run.run_line_ids.filtered(
            lambda rl: rl.partner_id == self.line_one.partner_id
        ).move_id
        self.assertEqual(invoice.state, "posted")
        currency = self.company.currency_id
        # a consumer reads the tracker tax included: the invoice's total
        self.assertTrue(tracker["tax_included"])
        self.assertFalse(
            currency.compare_amounts(float(tracker["amount"]), invoice.amount_total),
            f"tracker {tracker['amount']} != invoice {invoice.amount_total}",
        )
        self.assertFalse(
            currency.compare_amounts(float(tracker["amount_untaxed"]), invoice.amount_untaxed)
        )
        # worked by hand from the plan (prices excluding VAT, 20 % VAT, tax included shown):
        # base fee 14.00 -> 16.80; 6.5 GB (EU roaming counts in the band) in the 5-20 GB
        # band: 2.00 -> 2.40; 125 s international at 0.30 a started minute: 3 x 0.30 =
        # 0.90 -> 1.08; 3 international SMS at 0.10: 0.30 -> 0.36; the premium call's
        # third party 1.80 tax included. Usage 2.40 + 1.08 + 0.36 = 3.84; total 22.44.
        self.assertEqual(tracker["base_amount"], Decimal("16.80"))
        self.assertEqual(tracker["usage_amount"], Decimal("3.84"))
        self.assertEqual(tracker["amount"], Decimal("22.44"))
        self.assertFalse(currency.compare_amounts(invoice.amount_total, 22.44))
        # the parts shown add up to the total shown
        self.assertEqual(
            tracker["base_amount"]
            + tracker["usage_amount"]
            + tracker["one_off_amount"]
            + tracker["third_party_amount"],
            tracker["amount"],
        )

    def test_a_new_line_has_its_base_fee_priced_at_creation(self):
        # rating prices this month when the line is created: the portal has nothing to price
        line = self._create_line("33600000009", self.plan_step, partner=self.line_one.partner_id)
        month = self.env["telecoop.priced.month"].search(
            [("line_id", "=", line.id), ("period", "=", self.first)]
        )
        self.assertEqual(len(month), 1)
        plan = month.charge_ids.filtered(lambda c: c.kind == "plan")
        # 14 EUR a month excluding VAT, 20 % VAT: 16.80 for a consumer
        self.assertEqual(plan.mapped("amount_untaxed"), [14.0])
        self.assertEqual(plan.mapped("amount_total"), [16.8])
        tracker = line._get_portal_consumption(self.first)
        self.assertTrue(tracker["rated"])
        self.assertEqual(tracker["amount"], Decimal("16.80"))

    def test_the_cron_prices_the_lines_without_a_priced_month(self):
        PricedMonth = self.env["telecoop.priced.month"]
        # a month rating has not priced yet (a new month before the daily cron)
        self.env.cr.execute(
            "DELETE FROM telecoop_priced_month WHERE line_id = ANY(%s) AND period = %s",
            [(self.line_one + self.line_two).ids, self.first],
        )
        PricedMonth.invalidate_model()
        self.assertIn(
            self.line_one.id, PricedMonth._get_unpriced_line_ids(self.company, self.first)
        )
        self.line_one._get_portal_consumption(self.first)  # reading prices nothing
        self.assertFalse(PricedMonth.search([("line_id", "=", self.line_one.id)]))
        self.env["telecoop.mobile.line"]._cron_rate_this_month()
        self.assertFalse(PricedMonth._get_unpriced_line_ids(self.company, self.first))
        month = PricedMonth.search(
            [("line_id", "=", self.line_one.id), ("period", "=", self.first)]
        )
        self.assertEqual(month.amount_untaxed, 14.0)

    def test_history_per_month_and_freshness(self):
        previous = self.first - relativedelta(months=1)
        self._insert_records(
            [
                (self.line_one, f"{previous} 09:00:00", "data", 3 * GB, "national"),
                (self.line_one, self._at(1, 7), "data", GB, "national"),
                (self.line_one, self._at(1, 9), "data", GB, "national"),
            ]
        )
        self.env["telecoop.rated.usage"]._rate_period(self.company, previous)
        self._rate()
        history = self.line_one._get_portal_history(self.first)
        by_month = {m["period"]: m for m in history}
        self.assertEqual(by_month[previous]["data"], 3 * GB)
        self.assertEqual(by_month[self.first]["data"], 2 * GB)
        self.assertEqual(by_month[self.first]["amount_untaxed"], Decimal("14.00"))
        current = self.line_one._get_portal_consumption(self.first)
        self.assertEqual(fields.Datetime.to_string(current["last_usage_at"]), self._at(1, 9))

    def test_alerts_once_per_threshold_across_two_imports(self):
        # the cap is read as the tracker shows amounts: tax included for a consumer
        self.line_one.write({"spending_cap": 21.5})
        first = self._import_csv([self._csv_row("P-1", self.line_one, 3 * GB)], "one.csv")
        self.assertEqual(first.state, "done")
        self.assertFalse(self.line_one.alert_ids)
        # 4.5 GB of the 5 GB band (80 %), and 17.52 (14.60 + VAT) of the 21.50 cap (81 %)
        self._import_csv(
            [
                self._csv_row("P-2", self.line_one, 3 * GB // 2),
                self._csv_row("P-3", self.line_one, 120, "voice", "international"),
            ],
            "two.csv",
        )
        alerts = self.line_one.alert_ids
        self.assertEqual(
            sorted((a.kind, a.percent, a.band_index) for a in alerts),
            [("cap", 80, 0), ("data_band", 80, 0)],
        )
        self.assertTrue(all(a.mail_id for a in alerts))
        self.assertEqual(
            set(alerts.mail_id.mapped("state")), {"outgoing"}, "queued, not sent at once"
        )
        self.assertIn("06 00 00 00 01", alerts.mail_id[0].body_html)  # 33600000001, as read
        # the same file again, and a little more usage: no alert repeated
        self._import_csv(
            [
                self._csv_row("P-2", self.line_one, 3 * GB // 2),
                self._csv_row("P-3", self.line_one, 120, "voice", "international"),
            ],
            "two-again.csv",
        )
        self._import_csv([self._csv_row("P-4", self.line_one, GB // 10)], "three.csv")
        self.line_one.invalidate_recordset(["alert_ids"])
        self.assertEqual(self.line_one.alert_ids, alerts)
        mails = self.env["mail.mail"].search([("model", "=", "telecoop.mobile.line.alert")])
        self.assertEqual(len(mails.filtered(lambda m: m.res_id in alerts.ids)), 2)

    def test_roaming_warning_and_band_alert_of_an_included_plan(self):
        self.plan_classic.rate_ids = [
            fields.Command.create(
                {"usage_type": "data", "zone": "world", "price": 10, "unit": 10**8}
            )
        ]
        self._insert_records(
            [
                (self.line_holder, self._at(2), "data", 4 * 10**8, "world"),
                (self.line_holder, self._at(2), "data", 8 * GB, "national"),
            ]
        )
        self._rate()
        keys = sorted((a.kind, a.percent) for a in self.line_holder.alert_ids)
        self.assertEqual(keys, [("data_band", 80), ("roaming", 80)])

    def test_no_alert_for_a_closed_month(self):
        previous = self.first - relativedelta(months=1)
        self._insert_records([(self.line_one, f"{previous} 09:00:00", "data", 5 * GB, "national")])
        self.env["telecoop.rated.usage"]._rate_period(self.company, previous)
        self.assertFalse(self.line_one.alert_ids)

    def test_sobriety_median_in_sql_without_the_others_figures(self):
        self._insert_records([(self.line_one, self._at(2), "data", 3 * GB, "national")])
        self._rate()
        few = self.line_one._get_sobriety(self.first)
        self.assertIsNone(few["median"], "two lines on the plan: no median")
        others = [
            self._create_line(f"3369000000{i}", self.plan_step, partner=self.holder)
            for i in range(4)
        ]
        self._insert_records(
            [(line, self._at(2), "data", (i + 1) * GB, "national") for i, line in enumerate(others)]
        )
        self._rate()
        # 0 (line two), 1, 2, 3 (me), 3, 4 GB: median 2.5 GB
        sobriety = self.line_one._get_sobriety(self.first)
        self.assertEqual(sobriety["count"], 6)
        self.assertEqual(sobriety["median"], 5 * GB // 2)
        self.assertEqual(sobriety["mine"], 3 * GB)
        self.assertEqual(sobriety["level"], "above")
        self.assertEqual(set(sobriety), {"mine", "median", "count", "ratio", "level"})

    def test_portal_change_plan_from_next_month(self):
        self.line_one._portal_change_plan(self.plan_classic.id)
        next_month = self.first + relativedelta(months=1)
        self.assertEqual(self.line_one.plan_history_ids[-1].date_from, next_month)
        self.assertEqual(self.line_one.plan_history_ids[-1].plan_id, self.plan_classic)
        # this month is still billed on the old plan alone
        periods = self.line_one._get_plan_periods(self.first)
        self.assertEqual([p for p, __ in periods], [self.plan_step])
        with self.assertRaises(ValidationError):
            self.line_one._portal_change_plan(self.plan_step.id, self.first - relativedelta(days=1))

    def test_access_rules(self):
        Line = self.env["telecoop.mobile.line"]
        self.assertEqual(Line.with_user(self.user_one).search([]), self.line_one)
        self.assertEqual(Line.with_user(self.user_holder).search([]), self.line_holder)
        with self.assertRaises(AccessError):
            self.line_one.with_user(self.user_two).check_access("read")
        with self.assertRaises(AccessError):
            self.line_one.with_user(self.user_one).write({"spending_cap": 5})
        with self.assertRaises(AccessError):
            self.line_one.with_user(self.internal_user).check_access("read")
        staff = Line.with_user(self.billing_user).search([("company_id", "=", self.company.id)])
        self.assertGreaterEqual(staff, self.line_one | self.line_two | self.line_holder)


@tagged("post_install", "-at_install")
class TestPortalLinesRoutes(PdfRouteMixin, PortalLinesCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.user_one, cls.user_two, cls.user_holder):
            user.password = user.login

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _post(self, url, data):
        return self.url_open(
            url, data={**data, "csrf_token": Request.csrf_token(self)}, allow_redirects=False
        )

    def test_member_sees_lines_tracker_sobriety_and_history(self):
        self._insert_records([(self.line_one, self._at(1), "data", 6 * GB, "national")])
        self._rate()
        self.authenticate("tc_line_one", "tc_line_one")
        home = self._get("/my/home")
        self.assertEqual(home.status_code, 200)
        self.assertIn("/my/lines", home.text)
        lines = self._get("/my/lines")
        self.assertIn("06 00 00 00 01", lines.text)
        self.assertNotIn("06 00 00 00 02", lines.text)
        self.assertNotIn("06 00 00 00 03", lines.text)
        page = self._get(f"/my/lines/{self.line_one.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("6 GB", page.text)
        # 14 EUR base + 2 EUR for the 5-20 GB band, tax included for a consumer
        self.assertIn("19.20", page.text)
        self.assertIn("Price so far, tax included", page.text)
        self.assertIn("o_telecoop_usage_chart", page.text)
        self.assertIn("o_telecoop_sobriety", page.text)
        self.assertIn("/my/invoices", page.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["telecoop_line_count"]})
        self.assertEqual(counters["telecoop_line_count"], 1)

    def test_a_page_view_prices_nothing(self):
        # a month rating has not priced yet (a new month before the daily cron): the
        # page shows the plan's base fee, not rated yet, and writes no price
        self.env.cr.execute(
            "DELETE FROM telecoop_priced_month WHERE line_id = %s", [self.line_one.id]
        )
        self.env["telecoop.priced.month"].invalidate_model()
        self.env.cr.execute("SELECT count(*) FROM telecoop_priced_month")
        months = self.env.cr.fetchone()[0]
        self.env.cr.execute("SELECT count(*) FROM telecoop_priced_charge")
        charges = self.env.cr.fetchone()[0]
        self.authenticate("tc_line_one", "tc_line_one")
        page = self._get(f"/my/lines/{self.line_one.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_telecoop_not_rated", page.text)
        self.assertIn("not rated yet", page.text)
        self.assertIn("14.00", page.text)
        self.assertNotIn("Price so far", page.text)
        self.env.cr.execute("SELECT count(*) FROM telecoop_priced_month")
        self.assertEqual(self.env.cr.fetchone()[0], months)
        self.env.cr.execute("SELECT count(*) FROM telecoop_priced_charge")
        self.assertEqual(self.env.cr.fetchone()[0], charges)

    def test_second_member_is_turned_away_on_every_route(self):
        self.authenticate("tc_line_two", "tc_line_two")
        url = f"/my/lines/{self.line_one.id}"
        for response in (
            self._get(url),
            self._get(f"{url}?access_token=forged"),
            self._post(f"{url}/alerts", {"spending_cap": "1", "alert_cap_percent": "50"}),
            self._post(f"{url}/plan", {"plan_id": self.plan_classic.id}),
            self._post(f"{url}/plan/cancel", {}),
        ):
            self.assertIn(response.status_code, (302, 303))
            self.assertTrue(response.headers["Location"].endswith("/my"))
            # the page the person lands on (the redirect followed) shows nothing of it
            landing = self.url_open(response.headers["Location"])
            self.assertEqual(landing.status_code, 200)
            self.assertNotIn("06 00 00 00 01", landing.text)
        self.line_one.invalidate_recordset()
        self.assertEqual(self.line_one.spending_cap, 0)
        self.assertEqual(self.line_one.plan_id, self.plan_step)
        self.assertEqual(len(self.line_one.plan_history_ids), 1)
        self.assertEqual(self._get(f"/my/lines/{self.line_two.id}").status_code, 200)

    def test_visitor_is_sent_to_login_and_post_needs_csrf(self):
        response = self._get("/my/lines")
        self.assertIn("/web/login", response.headers["Location"])
        self.authenticate("tc_line_one", "tc_line_one")
        response = self.url_open(
            f"/my/lines/{self.line_one.id}/alerts",
            data={"spending_cap": "7"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.line_one.spending_cap, 0)

    def test_visitor_with_a_lines_share_token_reads_but_changes_nothing(self):
        token = self.line_one._portal_ensure_token()
        other_token = self.line_two._portal_ensure_token()
        url = f"/my/lines/{self.line_one.id}"
        # the share link opens the page of that line, for a visitor too
        page = self._get(f"{url}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("06 00 00 00 01", page.text)
        # another line's token opens nothing
        response = self._get(f"{url}?access_token={other_token}")
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith("/my"), response.headers)
        # changes need a logged-in holder: the token is no login
        for path, data in (
            ("alerts", {"spending_cap": "1", "alert_cap_percent": "50"}),
            ("plan", {"plan_id": self.plan_classic.id}),
            ("plan/cancel", {}),
        ):
            with self.subTest(path=path):
                response = self.url_open(
                    f"{url}/{path}", data={**data, "access_token": token}, allow_redirects=False
                )
                self.assertIn(response.status_code, (302, 303, 400))
                if response.status_code != 400:
                    self.assertIn("/web/login", response.headers["Location"])
        self.line_one.invalidate_recordset()
        self.assertEqual(self.line_one.spending_cap, 0)
        self.assertEqual(self.line_one.plan_id, self.plan_step)
        self.assertEqual(len(self.line_one.plan_history_ids), 1)

    def test_new_holder_does_not_read_the_former_holders_alerts(self):
        """Red team: the line went from member one to another holder; the new holder's
        page and an RPC search listed the alerts member one got the month before (her
        spending and her cap). Each alert belongs to the holder it was sent to."""
        Alert = self.env["telecoop.mobile.line.alert"]
        last_month = self.first - relativedelta(months=1)
        # member one's cap alert of last month: 36.00 of a 45.00 cap
        former = Alert._insert_new(
            [(self.line_one.id, last_month, "cap", 80, 0, 36.0, 45.0, self.env.uid)]
        )
        self.assertEqual(former.partner_id, self.user_one.partner_id)
        self.line_one.change_holder(self.user_holder.partner_id, fields.Date.today())
        # the new holder's own alert of this month
        mine = Alert._insert_new(
            [(self.line_one.id, self.first, "cap", 80, 0, 8.0, 10.0, self.env.uid)]
        )
        self.assertEqual(mine.partner_id, self.user_holder.partner_id)
        as_holder = Alert.with_user(self.user_holder)
        self.assertEqual(as_holder.search([("line_id", "=", self.line_one.id)]), mine)
        with self.assertRaises(AccessError):
            former.with_user(self.user_holder).read(["value"])
        self.authenticate("tc_line_holder", "tc_line_holder")
        page = self._get(f"/my/lines/{self.line_one.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("8.00", page.text)
        self.assertNotIn("36.00", page.text)
        self.assertNotIn("45.00", page.text)
        # member one no longer opens the line
        self.authenticate("tc_line_one", "tc_line_one")
        self.assertIn(self._get(f"/my/lines/{self.line_one.id}").status_code, (302, 303))

    def test_a_share_link_of_the_line_ends_with_its_holder(self):
        """Red team: member one had shared her line (a link with its token); the line
        went to another holder, and the old link still opened the new holder's month,
        consumption and alerts. A change of holder ends the links shared before."""
        old_token = self.line_one._portal_ensure_token()
        url = f"/my/lines/{self.line_one.id}"
        self.assertEqual(self._get(f"{url}?access_token={old_token}").status_code, 200)
        self.line_one.change_holder(self.user_holder.partner_id, fields.Date.today())
        response = self._get(f"{url}?access_token={old_token}")
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith("/my"), response.headers)
        # the new holder may share it again, with a new link
        new_token = self.line_one._portal_ensure_token()
        self.assertNotEqual(new_token, old_token)
        self.assertEqual(self._get(f"{url}?access_token={new_token}").status_code, 200)

    def test_alerts_stored_before_their_holder_get_it_from_the_holder_history(self):
        """The upgrade to 19.0.1.3.1 computes the holder of the alerts stored before:
        the line's holder on the day each alert was created, not the holder now."""
        Alert = self.env["telecoop.mobile.line.alert"]
        last_month = self.first - relativedelta(months=1)
        old = Alert._insert_new(
            [(self.line_one.id, last_month, "cap", 80, 0, 36.0, 45.0, self.env.uid)]
        )
        self.line_one.change_holder(self.user_holder.partner_id, fields.Date.today())
        new = Alert._insert_new(
            [(self.line_one.id, self.first, "cap", 80, 0, 8.0, 10.0, self.env.uid)]
        )
        # as a database of 19.0.1.3.0 holds them: no holder, the old one sent last month
        self.env.cr.execute(
            "UPDATE telecoop_mobile_line_alert SET partner_id = NULL, create_date = %s "
            "WHERE id = %s",
            (f"{last_month} 09:00:00", old.id),
        )
        self.env.cr.execute(
            "UPDATE telecoop_mobile_line_alert SET partner_id = NULL WHERE id = %s", new.ids
        )
        (old | new).invalidate_recordset()
        self.env.add_to_compute(Alert._fields["partner_id"], old | new)
        (old | new).flush_recordset()
        self.assertEqual(old.partner_id, self.user_one.partner_id)
        self.assertEqual(new.partner_id, self.user_holder.partner_id)

    def test_holder_not_member_sees_own_line_only(self):
        self.authenticate("tc_line_holder", "tc_line_holder")
        lines = self._get("/my/lines")
        self.assertIn("06 00 00 00 03", lines.text)
        self.assertNotIn("06 00 00 00 01", lines.text)
        self.assertEqual(self._get(f"/my/lines/{self.line_holder.id}").status_code, 200)
        self.assertIn(self._get(f"/my/lines/{self.line_one.id}").status_code, (302, 303))

    def test_a_cap_that_is_not_a_number_is_told_in_a_sentence(self):
        """Red team: "NaN" (and "1e999", "Infinity") as the spending cap answered 500:
        Decimal parses them, and comparing NaN with 0 raised InvalidOperation outside
        the check. Each is refused in a sentence on the page; the cap stays."""
        self.authenticate("tc_line_one", "tc_line_one")
        url = f"/my/lines/{self.line_one.id}/alerts"
        for value in ("NaN", "nan", "sNaN", "Infinity", "-inf", "1e999"):
            with self.subTest(value=value):
                response = self._post(url, {"spending_cap": value, "alert_cap_percent": "80"})
                self.assertEqual(response.status_code, 200)
                self.assertIn("alert-danger", response.text)
        self.line_one.invalidate_recordset()
        self.assertEqual(self.line_one.spending_cap, 0)

    def test_member_sets_cap_and_alerts_then_changes_plan(self):
        self.authenticate("tc_line_one", "tc_line_one")
        url = f"/my/lines/{self.line_one.id}"
        response = self._post(
            f"{url}/alerts",
            {"spending_cap": "25.50", "alert_cap_percent": "70", "alert_band_percent": "90"},
        )
        self.assertEqual(response.status_code, 303)
        self.line_one.invalidate_recordset()
        self.assertEqual(
            (
                self.line_one.spending_cap,
                self.line_one.alert_cap_percent,
                self.line_one.alert_band_percent,
                self.line_one.alert_roaming,
            ),
            (25.5, 70, 90, True),  # the roaming notices cannot be switched off
        )
        bad = self._post(f"{url}/alerts", {"spending_cap": "-3", "alert_cap_percent": "70"})
        self.assertEqual(bad.status_code, 200)
        self.assertIn("alert-danger", bad.text)
        bad = self._post(f"{url}/alerts", {"spending_cap": "abc"})
        self.assertIn("alert-danger", bad.text)
        self.line_one.invalidate_recordset()
        self.assertEqual(self.line_one.spending_cap, 25.5)
        past = self._post(f"{url}/plan", {"plan_id": self.plan_classic.id, "date": "2000-01-01"})
        self.assertIn("alert-danger", past.text)
        done = self._post(f"{url}/plan", {"plan_id": self.plan_classic.id, "date": ""})
        self.assertEqual(done.status_code, 303)
        self.line_one.invalidate_recordset()
        self.assertEqual(self.line_one.plan_history_ids[-1].plan_id, self.plan_classic)
        self.assertEqual(
            self.line_one.plan_history_ids[-1].date_from, self.first + relativedelta(months=1)
        )
        page = self._get(url)
        self.assertIn("o_telecoop_upcoming_plan", page.text)
        self.assertIn("Classic 9 GB", page.text)
        # the change is to come: the line's plan today is still the first one
        self.assertEqual(self.line_one.plan_id, self.plan_step)
        self.assertIn("Adjustable, <span>Active</span>", page.text)
        # the member cancels it
        cancelled = self._post(f"{url}/plan/cancel", {})
        self.assertEqual(cancelled.status_code, 303)
        self.line_one.invalidate_recordset()
        self.assertFalse(self.line_one.upcoming_plan_id)
        self.assertEqual(self.line_one.plan_history_ids.plan_id, self.plan_step)
        self.assertNotIn("o_telecoop_upcoming_plan", self._get(url).text)
        again = self._post(f"{url}/plan/cancel", {})
        self.assertIn("alert-danger", again.text)

    def test_tour_member_sets_a_cap_and_sees_the_alert_after_an_import(self):
        self._insert_records([(self.line_one, self._at(1), "data", 3 * GB, "national")])
        self._rate()
        self.start_tour(
            f"/my/lines/{self.line_one.id}", "telecoop_line_cap_tour", login="tc_line_one"
        )
        self.line_one.invalidate_recordset()
        self.assertEqual(self.line_one.spending_cap, 22)
        self.assertFalse(self.line_one.alert_ids)
        # the host operator's next file: 4.5 GB of the 5 GB band and 18.24 tax included
        # (15.20 + VAT) of the 22.00 cap (4 minutes abroad): 80 % crossed twice
        self._import_csv(
            [
                self._csv_row("T-1", self.line_one, 3 * GB // 2),
                self._csv_row("T-2", self.line_one, 240, "voice", "international"),
            ],
            "tour.csv",
        )
        self.assertEqual(sorted(self.line_one.alert_ids.mapped("kind")), ["cap", "data_band"])
        self.start_tour(
            f"/my/lines/{self.line_one.id}", "telecoop_line_alert_tour", login="tc_line_one"
        )

    def test_invoices_of_the_line_in_the_standard_portal_only_for_their_holder(self):
        self._insert_records([(self.line_one, self._at(1), "data", 6 * GB, "national")])
        run = self.env["telecoop.billing.run"].create(
            {"company_id": self.company.id, "period": self.first}
        )
        # billed once the month has ended (noon UTC on the 1st of the next one)
        with freeze_time(f"{self.first + relativedelta(months=1)} 12:00:00"):
            run.action_start()
        invoice = run.run_line_ids.filtered(
            lambda rl: rl.partner_id == self.line_one.partner_id
        ).move_id
        self.assertEqual(invoice.amount_untaxed, 16.0)
        self.authenticate("tc_line_one", "tc_line_one")
        self.assertEqual(self._get(f"/my/invoices/{invoice.id}").status_code, 200)
        # the PDF the member downloads: wkhtmltopdf run for real, its words read back
        text = self.download_pdf(f"/my/invoices/{invoice.id}?report_type=pdf&download=true")
        self.assertIn(invoice.name, text)
        # 14.00 base fee + 2.00 for the 5-20 GB band, untaxed
        self.assertIn("16.00", text)
        self.authenticate("tc_line_two", "tc_line_two")
        for url in (
            f"/my/invoices/{invoice.id}",
            f"/my/invoices/{invoice.id}?report_type=pdf",
            f"/my/invoices/{invoice.id}/itemised",
        ):
            with self.subTest(url=url):
                response = self._get(url)
                self.assertIn(response.status_code, (302, 303))
                self.assertTrue(response.headers["Location"].endswith("/my"), response.headers)
                landing = self.url_open(url)
                self.assertEqual(landing.status_code, 200)
                self.assertNotEqual(landing.headers.get("Content-Type"), "application/pdf")
                self.assertNotIn(invoice.name, landing.text)
