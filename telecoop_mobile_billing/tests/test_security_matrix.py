# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Security matrix of the mobile billing addon: every record rule, every portal route.

Roles (``telecoop_membership/tests/security_matrix.py``): ``owner``, the member
who holds the line (portal); ``member2``, another member (portal);
``non_member``, a portal user of the cooperative; ``user`` and ``manager``,
staff of the billing groups; ``other_staff``, a billing manager of another
cooperative. The records are the owner's line and what hangs from it.
"""

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.telecoop_membership.tests.security_matrix import (
    RouteMatrixMixin,
    RuleMatrixMixin,
    matrix_users,
)

from .common import MobileBillingCommon

NONE = "----"
R = "r---"
ALL = "rwcu"
STAFF_RUNS = "rwc-"
M = "telecoop_mobile_billing."

# model: (its rules, then the operations allowed per role:
#         owner, member2, non_member, user, manager, other_staff)
RULES = {
    "telecoop.mobile.plan": (
        (M + "telecoop_mobile_plan_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
    "telecoop.mobile.plan.tier": (
        (M + "telecoop_mobile_plan_tier_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
    "telecoop.mobile.plan.rate": (
        (M + "telecoop_mobile_plan_rate_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
    "telecoop.plan.usage.median": (
        (M + "telecoop_plan_usage_median_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
    "telecoop.third.party": (
        (M + "telecoop_third_party_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
    # the member reads their own line only (the portal rule grants no write)
    "telecoop.mobile.line": (
        (M + "telecoop_mobile_line_rule_company", M + "telecoop_mobile_line_rule_portal"),
        R, NONE, NONE, STAFF_RUNS, ALL, NONE,
    ),
    "telecoop.mobile.line.plan": (
        (M + "telecoop_mobile_line_plan_rule_company",),
        NONE, NONE, NONE, STAFF_RUNS, ALL, NONE,
    ),
    "telecoop.mobile.line.holder": (
        (M + "telecoop_mobile_line_holder_rule_company",),
        NONE, NONE, NONE, STAFF_RUNS, ALL, NONE,
    ),
    "telecoop.mobile.line.one.off": (
        (M + "telecoop_mobile_line_one_off_rule_company",),
        NONE, NONE, NONE, STAFF_RUNS, ALL, NONE,
    ),
    "telecoop.mobile.line.alert": (
        (
            M + "telecoop_mobile_line_alert_rule_company",
            M + "telecoop_mobile_line_alert_rule_portal",
        ),
        R, NONE, NONE, R, ALL, NONE,
    ),
    # usage: written by the importer and the rating, deleted by the purge
    "telecoop.usage.source": (
        (M + "telecoop_usage_source_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
    "telecoop.usage.import": (
        (M + "telecoop_usage_import_rule_company",),
        NONE, NONE, NONE, STAFF_RUNS, ALL, NONE,
    ),
    # what the importer refused (file, line, reason): written by the importer (COPY),
    # deleted by the retention purge (SQL), changed by nobody by hand
    "telecoop.usage.import.error": (
        (M + "telecoop_usage_import_error_rule_company",),
        NONE, NONE, NONE, R, R, NONE,
    ),
    # the host operator's records: written by the importer, attached by the wizard,
    # deleted by the purge (SQL), changed by nobody by hand
    "telecoop.usage.record": (
        (M + "telecoop_usage_record_rule_company",),
        NONE, NONE, NONE, R, R, NONE,
    ),
    # the sums that bill the months, and all that is left of a purged month: written
    # and deleted by rating only (SQL), by nobody by hand
    "telecoop.rated.usage": (
        (M + "telecoop_rated_usage_rule_company",),
        NONE, NONE, NONE, R, R, NONE,
    ),
    # the priced month is written by the rating only, read by its holder on the portal
    "telecoop.priced.month": (
        (M + "telecoop_priced_month_rule_company", M + "telecoop_priced_month_rule_portal"),
        R, NONE, NONE, R, R, NONE,
    ),
    "telecoop.priced.charge": (
        (M + "telecoop_priced_charge_rule_company", M + "telecoop_priced_charge_rule_portal"),
        R, NONE, NONE, R, R, NONE,
    ),
    # what each holder used in a priced month: read by that holder only
    "telecoop.priced.quantity": (
        (M + "telecoop_priced_quantity_rule_company", M + "telecoop_priced_quantity_rule_portal"),
        R, NONE, NONE, R, R, NONE,
    ),
    "telecoop.billing.run": (
        (M + "telecoop_billing_run_rule_company",),
        NONE, NONE, NONE, R, ALL, NONE,
    ),
    # who is invoiced for a month: written by the run and a cancelled bill only (SQL)
    "telecoop.billing.run.line": (
        (M + "telecoop_billing_run_line_rule_company",),
        NONE, NONE, NONE, R, R, NONE,
    ),
}  # fmt: skip

LOGIN = "->/web/login"
LINE = "->/my/lines/N"
# url rule: answer per role: anonymous, owner, member2, non_member, user, other_staff
ROUTES = {
    "/my/lines": (LOGIN, 200, 200, 200, 200, 200),
    # a further page of the list (empty here): a login is needed, as for the first
    "/my/lines/page/<int:page>": (LOGIN, 200, 200, 200, 200, 200),
    # public route: the visitor without the line's share token is sent to /my (then login)
    "/my/lines/<int:line_id>": ("->/my", 200, "->/my", "->/my", 200, "->/my"),
    "/my/lines/<int:line_id>/alerts": (LOGIN, LINE, "->/my", "->/my", LINE, "->/my"),
    "/my/lines/<int:line_id>/plan": (LOGIN, LINE, "->/my", "->/my", LINE, "->/my"),
    # the change just recorded (row above) is cancelled
    "/my/lines/<int:line_id>/plan/cancel": (LOGIN, LINE, "->/my", "->/my", LINE, "->/my"),
    # no itemised bill asked for this line: the owner is sent back to their invoices; billing
    # staff without the invoicing rights read no invoice
    "/my/invoices/<int:invoice_id>/itemised": (
        "->/my", "->/my/invoices", "->/my", "->/my", "->/my", "->/my",
    ),
}  # fmt: skip


@tagged("post_install", "-at_install")
class TestBillingSecurityMatrix(RuleMatrixMixin, RouteMatrixMixin, HttpCase, MobileBillingCommon):
    ADDON = "telecoop_mobile_billing"
    RULES = RULES
    ROUTES = ROUTES

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = cls.company
        cls.owner = cls._create_member("Matrix Line Owner", shares=1)
        cls.member2 = cls._create_member("Matrix Line Second", shares=1)
        cls.users = matrix_users(
            cls,
            "sm_b",
            cls.owner,
            cls.member2,
            "base.group_user,telecoop_mobile_billing.telecoop_mobile_billing_group_user",
            "base.group_user,telecoop_mobile_billing.telecoop_mobile_billing_group_manager,"
            "account.group_account_invoice",
            env["res.company"].create({"name": "Matrix Other Operator"}),
        )
        cls.logins = {role: user.login for role, user in cls.users.items()}
        cls.line = cls._create_line("33612340001", cls.plan_step, partner=cls.owner)
        cls._create_line("33612340002", cls.plan_step, partner=cls.member2)
        period = fields.Date.to_date("2026-02-01")
        usage_import = env["telecoop.usage.import"].create({"source_id": cls.source.id})
        import_error = cls._sql_import_error(usage_import)
        usage_record = cls._sql_usage_record(cls.line, "MATRIX-1", "2026-02-03 10:00")
        env["telecoop.usage.record"]._rerate(company, {period: {cls.line.id}})
        run = env["telecoop.billing.run"].create({"company_id": company.id, "period": period})
        # a one-off charge of March rates the line's March: its priced month and charges
        one_off = env["telecoop.mobile.line.one.off"].create(
            {"line_id": cls.line.id, "date": "2026-03-10", "name": "New SIM", "amount": 10}
        )
        priced_month = env["telecoop.priced.month"].search(
            [("line_id", "=", cls.line.id), ("period", "=", "2026-03-01")]
        )
        cls.invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.owner.id,
                "company_id": company.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.product_plan.id, "quantity": 1, "price_unit": 14}
                    )
                ],
            }
        )
        cls.invoice.action_post()
        cls.records = {
            "telecoop.mobile.plan": cls.plan_step,
            "telecoop.mobile.plan.tier": cls.plan_step.tier_ids[0],
            "telecoop.mobile.plan.rate": cls.plan_step.rate_ids[0],
            "telecoop.plan.usage.median": env["telecoop.plan.usage.median"].search(
                [("plan_id", "=", cls.plan_step.id), ("period", "=", period)]
            ),
            "telecoop.third.party": env["telecoop.third.party"].search(
                [("company_id", "=", company.id)], limit=1
            ),
            "telecoop.mobile.line": cls.line,
            "telecoop.mobile.line.plan": cls.line.plan_history_ids[:1],
            "telecoop.mobile.line.holder": cls.line.holder_history_ids[:1],
            "telecoop.mobile.line.one.off": one_off,
            "telecoop.mobile.line.alert": env["telecoop.mobile.line.alert"].create(
                {"line_id": cls.line.id, "period": period, "kind": "data_band", "percent": 80}
            ),
            "telecoop.usage.source": cls.source,
            "telecoop.usage.import": usage_import,
            "telecoop.usage.import.error": import_error,
            "telecoop.usage.record": usage_record,
            "telecoop.rated.usage": env["telecoop.rated.usage"].search(
                [("line_id", "=", cls.line.id), ("period", "=", period)], limit=1
            ),
            "telecoop.priced.month": priced_month,
            "telecoop.priced.charge": priced_month.charge_ids[:1],
            # February's usage of the owner
            "telecoop.priced.quantity": env["telecoop.priced.quantity"].search(
                [("line_id", "=", cls.line.id), ("period", "=", period)]
            ),
            "telecoop.billing.run": run,
            "telecoop.billing.run.line": env["telecoop.billing.run.line"].create(
                {
                    "run_id": run.id,
                    "company_id": company.id,
                    "partner_id": cls.owner.id,
                    "period": period,
                }
            ),
        }

    def route_rows(self):
        line = f"/my/lines/{self.line.id}"
        alerts = {"spending_cap": "30", "alert_cap_percent": "80", "alert_band_percent": "80"}
        urls = {
            "/my/lines": ("GET", "/my/lines", None),
            "/my/lines/page/<int:page>": ("GET", "/my/lines/page/2", None),
            "/my/lines/<int:line_id>": ("GET", line, None),
            "/my/lines/<int:line_id>/alerts": ("POST", f"{line}/alerts", alerts),
            "/my/lines/<int:line_id>/plan": (
                "POST", f"{line}/plan", {"plan_id": str(self.plan_classic.id)},
            ),
            "/my/lines/<int:line_id>/plan/cancel": ("POST", f"{line}/plan/cancel", {}),
            "/my/invoices/<int:invoice_id>/itemised": (
                "GET", f"/my/invoices/{self.invoice.id}/itemised", None,
            ),
        }  # fmt: skip
        return {rule: (*urls[rule], cells) for rule, cells in self.ROUTES.items()}
