# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class TelecoopMobileLinePlan(models.Model):
    """A plan of a line from a date: the history that prorates the months of change."""

    _name = "telecoop.mobile.line.plan"
    _description = "Plan of a mobile line from a date"
    _check_company_auto = True
    _order = "line_id, date_from, id"

    line_id = fields.Many2one(
        "telecoop.mobile.line", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    plan_id = fields.Many2one(
        "telecoop.mobile.plan", required=True, ondelete="restrict", check_company=True
    )
    date_from = fields.Date(string="From", required=True)

    _line_date_unique = models.Constraint(
        "UNIQUE(line_id, date_from)", "A line changes plan at most once a day."
    )

    # an entry of the history added, edited or removed by hand (the lines' tab) is a
    # plan change like change_plan(): refused in a month invoiced already, and the
    # months it touches are priced again; change_plan() and the line's creation do
    # both themselves (context telecoop_plan_history)
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("telecoop_plan_history"):
            Line = self.env["telecoop.mobile.line"]
            for vals in vals_list:  # before anything is created
                if vals.get("line_id") and vals.get("date_from"):
                    Line.browse(vals["line_id"])._check_month_open(
                        fields.Date.to_date(vals["date_from"])
                    )
        entries = super().create(vals_list)
        if not self.env.context.get("telecoop_plan_history"):
            entries._on_history_changed({(e.line_id, e.date_from) for e in entries})
        return entries

    def write(self, vals):
        if self.env.context.get("telecoop_plan_history") or not (
            {"date_from", "plan_id", "line_id"} & set(vals)
        ):
            return super().write(vals)
        touched = {(e.line_id, e.date_from) for e in self}
        for line, date in touched:
            line._check_month_open(date)  # before anything changes
        result = super().write(vals)
        self._on_history_changed(touched | {(e.line_id, e.date_from) for e in self})
        return result

    def unlink(self):
        if self.env.context.get("telecoop_plan_history"):
            return super().unlink()
        touched = {(e.line_id, e.date_from) for e in self}
        for line, date in touched:
            line._check_month_open(date)
        result = super().unlink()
        self._on_history_changed(touched)
        return result

    def _on_history_changed(self, touched):
        """``touched``: {(line, date)} of the entries changed. Each month touched must
        be open; the lines take their plan of today from their history and their
        months are priced again from the earliest date touched."""
        earliest = {}
        for line, date in touched:
            line._check_month_open(date)
            earliest[line] = min(earliest.get(line, date), date)
        lines = self.env["telecoop.mobile.line"].union(*earliest)
        lines.exists()._apply_plan_history()
        for line, date in earliest.items():
            if line.exists():
                line._rerate_from(date)
