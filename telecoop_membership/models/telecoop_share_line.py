# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..services.days import latest_today

# First key of the advisory lock of a company's register (an arbitrary constant).
REGISTER_LOCK_KEY = 74_185

MOVEMENT_TYPES = [
    ("issue", "Issue"),
    ("transfer", "Transfer"),
    ("buyback", "Buy-back"),
]


class TelecoopShareLine(models.Model):
    """An immutable movement of the share register.

    Positive quantities enter a member's holding (issue, transfer received),
    negative ones leave it (buy-back, transfer given). The register at any date
    is the sum of the movements up to that date: nothing else is stored.
    """

    _name = "telecoop.share.line"
    _description = "Share movement"
    _check_company_auto = True
    _order = "date, id"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Member",
        required=True,
        index=True,
        readonly=True,
        check_company=True,
    )
    share_class_id = fields.Many2one(
        "telecoop.share.class",
        required=True,
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    college_id = fields.Many2one(
        "telecoop.college", required=True, readonly=True, ondelete="restrict", check_company=True
    )
    date = fields.Date(required=True, index=True, readonly=True)
    movement_type = fields.Selection(MOVEMENT_TYPES, required=True, readonly=True)
    quantity = fields.Integer(required=True, readonly=True)
    amount = fields.Monetary(required=True, readonly=True)
    note = fields.Char(readonly=True)
    subscription_request_id = fields.Many2one(
        "telecoop.subscription.request",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    transfer_id = fields.Many2one(
        "telecoop.share.transfer",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    buyback_id = fields.Many2one(
        "telecoop.share.buyback",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    move_id = fields.Many2one(
        "account.move",
        string="Journal entry",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )

    _quantity_not_zero = models.Constraint(
        "CHECK(quantity <> 0)", "A share movement moves at least one share."
    )
    _subscription_request_once = models.Constraint(
        "unique(subscription_request_id)",
        "The shares of a subscription request are issued once.",
    )
    _buyback_once = models.Constraint(
        "unique(buyback_id)", "The shares of a buy-back are taken back once."
    )
    _transfer_sides = models.Constraint(
        "unique(transfer_id, partner_id)",
        "A transfer moves shares once out of one member and once into another.",
    )
    _partner_date_index = models.Index("(company_id, partner_id, date)")

    @api.model_create_multi
    def create(self, vals_list):
        # the workflow of the documents and the import write as superuser, after
        # their checks (holdings, limits, payment, capital entry); nobody else
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Share movements are written by subscription requests, transfers, "
                    "buy-backs and the register import only."
                )
            )
        return super().create(vals_list)

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("Share movements are immutable: record a new movement instead."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Share movements are immutable: record a new movement instead."))

    @api.model
    def _get_register_rows(self, company, at_date, by_class=False):
        """The register of members at a date, rebuilt from the movements alone.

        :param by_class: one row per member and share class (with ``share_class_id``)
        :return: list of dicts ``partner_id``, ``college_id``, ``shares`` (int),
            ``amount`` (in the company currency), one per member (and class) holding at
            least one share at the end of ``at_date``, ordered by partner.
        """
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id,%(class_column)s
                       (array_agg(college_id ORDER BY date DESC, id DESC))[1] AS college_id,
                       SUM(quantity)::int AS shares,
                       SUM(amount) AS amount
                  FROM telecoop_share_line
                 WHERE company_id = %(company)s AND date <= %(at)s
              GROUP BY partner_id%(class_group)s
                HAVING SUM(quantity) > 0
              ORDER BY partner_id%(class_group)s
                """,
                class_column=SQL(" share_class_id,") if by_class else SQL(""),
                class_group=SQL(", share_class_id") if by_class else SQL(""),
                company=company.id,
                at=at_date,
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _get_holdings(self, company, partner, share_class=None):
        """Shares held now by ``partner`` in ``company``, whatever their date.

        :return: (shares of ``share_class`` or 0, shares of every class)
        """
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT COALESCE(SUM(quantity) FILTER (WHERE share_class_id = %s), 0)::int,
                   COALESCE(SUM(quantity), 0)::int
              FROM telecoop_share_line
             WHERE company_id = %s AND partner_id = %s
            """,
            (share_class.id if share_class else None, company.id, partner.id),
        )
        return self.env.cr.fetchone()

    @api.model
    def _get_lowest_holding_from(self, company, partner, share_class, on_date):
        """The fewest shares of ``share_class`` that ``partner`` holds in ``company`` at
        the end of any day from ``on_date`` on (the register rebuilt at each date)."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH days AS (
                    SELECT date, SUM(SUM(quantity)) OVER (ORDER BY date) AS held
                      FROM telecoop_share_line
                     WHERE company_id = %(company)s AND partner_id = %(partner)s
                       AND share_class_id = %(share_class)s
                  GROUP BY date
                )
                SELECT LEAST(
                    COALESCE((SELECT held FROM days WHERE date <= %(on)s
                               ORDER BY date DESC LIMIT 1), 0),
                    COALESCE((SELECT MIN(held) FROM days WHERE date > %(on)s), %(inf)s)
                )::bigint
                """,
                company=company.id,
                partner=partner.id,
                share_class=share_class.id,
                on=on_date,
                inf=2**62,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _check_not_after_today(self, document, on_date, what=None):
        """A share movement, or a payment of one, records what took place: its date
        (``what``, the date's label, the document's date when not given) is not
        after today. The one owner of this rule for the documents of the register."""
        on_date = fields.Date.to_date(on_date)
        # today for the cooperative and its staff, whatever their time zones
        if on_date and on_date > latest_today(fields.Datetime.now()):
            raise UserError(
                self.env._(
                    "%(document)s %(name)s is dated %(date)s, after today: record it on the "
                    "day it takes place.",
                    document=document._description,
                    name=document.name,
                    date=on_date,
                )
                if what is None
                else self.env._(
                    "%(document)s %(name)s: its %(what)s, %(date)s, is after today: record "
                    "it on the day it takes place.",
                    document=document._description,
                    name=document.name,
                    what=what,
                    date=on_date,
                )
            )

    @api.model
    def _check_out_date(self, document, partner, quantity, on_date):
        """Shares leaving ``partner``'s holding on ``on_date`` (a transfer given, a
        buy-back) must be held on that date and on every later date of the register,
        and the date is not after today: a movement records what took place, and the
        register at any past date still adds up (no member below zero, no shares
        counted twice at an assembly's record date)."""
        on_date = fields.Date.to_date(on_date)
        self._check_not_after_today(document, on_date)
        held = self._get_lowest_holding_from(
            document.company_id, partner, document.share_class_id, on_date
        )
        if held < quantity:
            raise UserError(
                self.env._(
                    "%(document)s %(name)s is dated %(date)s, but %(partner)s holds only "
                    "%(held)s shares of %(share_class)s from that date on: %(quantity)s "
                    "cannot leave the register then. Date it on or after the day the shares "
                    "were held.",
                    document=document._description,
                    name=document.name,
                    date=on_date,
                    partner=partner.display_name,
                    held=max(held, 0),
                    share_class=document.share_class_id.name,
                    quantity=quantity,
                )
            )

    @api.model
    def _get_holdings_of(self, partners, companies):
        """Shares and capital held now, ``{(partner id, company id): (shares, amount)}``,
        of these people in these cooperatives (one query, whatever the user may read)."""
        if not partners or not companies:
            return {}
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id, company_id, SUM(quantity)::int, SUM(amount)
                  FROM telecoop_share_line
                 WHERE partner_id = ANY(%s) AND company_id = ANY(%s)
              GROUP BY partner_id, company_id
                """,
                partners.ids,
                companies.ids,
            )
        )
        return {
            (partner_id, company_id): (shares, float(amount))
            for partner_id, company_id, shares, amount in self.env.cr.fetchall()
        }

    @api.model
    def _get_capital(self, company, at_date=None):
        """Paid-up capital of the register (sum of the movements) at a date."""
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT COALESCE(SUM(amount), 0)
              FROM telecoop_share_line
             WHERE company_id = %s AND (%s::date IS NULL OR date <= %s::date)
            """,
            (company.id, at_date, at_date),
        )
        total = self.env.cr.fetchone()[0]
        return company.currency_id.round(float(total))

    @api.model
    def _get_highest_capital(self, company, at_date=None):
        """The highest paid-up capital of the register at the end of a day, up to
        ``at_date`` (loi n° 47-1775 art. 13 and 16: "le capital le plus élevé atteint")."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(MAX(capital), 0)
                  FROM (SELECT SUM(SUM(amount)) OVER (ORDER BY date) AS capital
                          FROM telecoop_share_line
                         WHERE company_id = %s AND (%s::date IS NULL OR date <= %s::date)
                      GROUP BY date) AS days
                """,
                company.id,
                at_date,
                at_date,
            )
        )
        highest = self.env.cr.fetchone()[0]
        return company.currency_id.round(float(highest))

    @api.model
    def _lock_register(self, company):
        """Serialise the movements of a company's register until the transaction ends.

        Every document that moves shares (issue, transfer, buy-back) takes this
        PostgreSQL advisory lock before it reads holdings or the capital, so two
        buy-backs of the same last shares, or two buy-backs that together would
        take the capital below its floor, cannot both pass.
        """
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", (REGISTER_LOCK_KEY, company.id))
        # Odoo's transactions are REPEATABLE READ: a transaction that waited for
        # the lock still reads the register as it was when it began. Writing the
        # register's version row makes the second of two concurrent transactions
        # fail to serialise, and Odoo replays it: it then sees the first one.
        profile = company.sudo().telecoop_statute_profile_id
        if profile:
            profile._bump_register_version()

    @api.model
    def _get_pending_out(self, company, partner, share_class):
        """Shares of ``share_class`` that draft buy-backs and draft transfers of
        ``partner`` would take out of the holding."""
        total = 0
        domain = [
            ("company_id", "=", company.id),
            ("share_class_id", "=", share_class.id),
            ("state", "=", "draft"),
        ]
        for model, giver in (
            ("telecoop.share.buyback", "partner_id"),
            ("telecoop.share.transfer", "from_partner_id"),
        ):
            groups = (
                self.env[model]
                .sudo()
                ._read_group([*domain, (giver, "=", partner.id)], [], ["quantity:sum"])
            )
            total += groups[0][0] or 0
        return total
