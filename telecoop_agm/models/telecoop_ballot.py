# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..services import ballot_chain

SECRET_PARAM = "telecoop_agm.ballot_key_secret"


class TelecoopBallot(models.Model):
    """An entry of the ballot box: inserted, never updated nor deleted.

    The box of each resolution is a hash chain (``services/ballot_chain.py``):
    every entry records the hash of the entry before it. A member who votes
    again adds an entry with the same ``voter_key`` (an HMAC of the voter and
    the resolution under a server secret); the entry that counts is the last
    one of each key.

    When the resolution is secret, the entry holds no voter, no channel and no
    time that the ORM shows to back-office users: who took part is recorded in
    ``telecoop.ballot.participation``, what was chosen here, and the two are
    linked only through the secret of the key (readable by system
    administrators). Entries have no create/write log for the same reason.
    """

    _name = "telecoop.ballot"
    _description = "Ballot box entry"
    _order = "resolution_id, sequence desc"
    _rec_name = "entry_hash"
    _log_access = False

    assembly_id = fields.Many2one(
        "telecoop.assembly", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="assembly_id.company_id", store=True, index=True)
    resolution_id = fields.Many2one(
        "telecoop.resolution", required=True, ondelete="cascade", index=True, readonly=True
    )
    secret = fields.Boolean(readonly=True, help="Entry of a secret vote: no voter is stored.")
    sequence = fields.Integer(readonly=True, help="Position in the box of the resolution.")
    choice_id = fields.Many2one(
        "telecoop.resolution.choice", required=True, ondelete="restrict", readonly=True
    )
    college_id = fields.Many2one(
        "telecoop.college",
        required=True,
        ondelete="restrict",
        readonly=True,
        help="College of the voter, needed by the weighted tally.",
    )
    # set for public votes only
    voter_id = fields.Many2one(
        "telecoop.assembly.voter", ondelete="restrict", index=True, readonly=True
    )
    partner_id = fields.Many2one(related="voter_id.partner_id", string="Member")
    channel = fields.Selection(
        [
            ("online", "Online"),
            ("room", "In the room"),
            ("proxy", "By proxy"),
        ],
        readonly=True,
    )
    proxy_id = fields.Many2one("telecoop.assembly.proxy", ondelete="restrict", readonly=True)
    cast_by_partner_id = fields.Many2one("res.partner", readonly=True, string="Cast by")
    cast_by_user_id = fields.Many2one("res.users", readonly=True, string="Entered by")
    cast_at = fields.Datetime(readonly=True)
    # the chain
    # system only: whoever is shown a member's receipt must not find its choice with it
    receipt_hash = fields.Char(
        readonly=True, index=True, groups="base.group_system", help="SHA-256 of the receipt."
    )
    voter_key = fields.Char(readonly=True, index=True, groups="base.group_system")
    sealed_at = fields.Datetime(readonly=True, groups="base.group_system")
    prev_hash = fields.Char(string="Previous hash", readonly=True)
    entry_hash = fields.Char(readonly=True)

    _receipt_unique = models.Constraint("unique(receipt_hash)", "A receipt is unique.")
    _sequence_unique = models.Constraint(
        "unique(resolution_id, sequence)", "An entry of the ballot box has a unique place."
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("telecoop_cast"):
            raise UserError(self.env._("Ballots are cast through the vote, not created directly."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._("A ballot cannot be changed: vote again, the last one counts.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A ballot cannot be deleted."))

    @api.model
    def _get_box(self, resolution):
        """The model of the box of ``resolution``: secret votes have their own table.

        Kept apart, the entries of a secret vote take their ids from their own
        sequence: their order says nothing about the public ballots cast around
        them, which show their member and time.
        """
        return self.env["telecoop.ballot.secret" if resolution.secret else "telecoop.ballot"]

    @api.model
    def _search_all_boxes(self, domain, **kwargs):
        """Search public and secret entries (sudo): the first model that matches."""
        for model in ("telecoop.ballot", "telecoop.ballot.secret"):
            found = self.env[model].sudo().search(domain, **kwargs)
            if found:
                return found
        return self.env["telecoop.ballot"]

    # Keys and receipts --------------------------------------------------------
    @api.model
    def _get_key_secret(self):
        """The server secret of the voter keys (ir.config_parameter, system only)."""
        params = self.env["ir.config_parameter"].sudo()
        secret = params.get_param(SECRET_PARAM)
        if not secret:
            secret = secrets.token_hex(32)
            params.set_param(SECRET_PARAM, secret)
            # owned by the addon: removed with it at uninstall
            self.env["ir.model.data"].sudo()._update_xmlids(
                [
                    {
                        "xml_id": "telecoop_agm.ballot_key_secret",
                        "record": params.search([("key", "=", SECRET_PARAM)]),
                        "noupdate": True,
                    }
                ]
            )
        return secret

    @api.model
    def _voter_key(self, voter, resolution):
        return ballot_chain.voter_key(self._get_key_secret(), voter.id, resolution.id)

    # Casting ------------------------------------------------------------------
    @api.model
    def _cast(self, resolution, voter, choice, channel, cast_by_partner, proxy=None):
        """Put a ballot in the box after checking who may cast it.

        - ``online``: the member votes for themselves (``cast_by_partner`` is the
          voter), and has not given an active proxy;
        - ``proxy``: ``cast_by_partner`` holds an active proxy from the voter;
        - ``room``: staff enter the ballot of a member present in the room who
          has not given a proxy.
        The vote must be open: state open and vote start <= now < vote end, to the
        second, by the database clock.

        :return: the new entry; its receipt, in clear, is in the context key
            ``telecoop_receipt`` of the returned record (the box keeps its hash
            only: show it once and forget it).
        """
        assembly = resolution.assembly_id
        if voter.assembly_id != assembly:
            raise UserError(self.env._("This member is not in the electorate of the assembly."))
        if len(choice) != 1 or choice.resolution_id != resolution:
            raise UserError(self.env._("This choice does not belong to the resolution."))
        now = assembly._check_voting_open()
        Proxy = self.env["telecoop.assembly.proxy"]
        active_given = Proxy.sudo().search(
            [("giver_id", "=", voter.id), ("state", "=", "active")], limit=1
        )
        if channel == "proxy":
            if (
                not proxy
                or proxy.state != "active"
                or proxy.giver_id != voter
                or proxy.holder_id.partner_id != cast_by_partner
            ):
                raise UserError(
                    self.env._("Nobody votes for a member who did not give them a proxy.")
                )
        elif active_given:
            raise UserError(
                self.env._(
                    "%(member)s gave a proxy: the proxy holder votes, or the proxy is "
                    "withdrawn first.",
                    member=voter.partner_id.name,
                )
            )
        elif channel == "online":
            if voter.partner_id != cast_by_partner:
                raise UserError(self.env._("A member votes online only for themselves."))
        elif channel == "room":
            if not voter.present:
                raise UserError(
                    self.env._("%(member)s is not on the attendance sheet.",
                               member=voter.partner_id.name)
                )  # fmt: skip
        else:
            raise UserError(self.env._("Unknown channel."))
        receipt = secrets.token_urlsafe(18)
        public = {}
        if not resolution.secret:
            public = {
                "voter_id": voter.id,
                "channel": channel,
                "proxy_id": proxy.id if proxy else False,
                "cast_by_partner_id": cast_by_partner.id if cast_by_partner else False,
                "cast_by_user_id": self.env.uid,
                "cast_at": now,
            }
        entry = self._get_box(resolution)._append(
            resolution,
            {
                "choice_id": choice.id,
                "college_id": voter.college_id.id,
                "voter_key": self._voter_key(voter, resolution),
                "receipt_hash": ballot_chain.receipt_hash(receipt),
                "sealed_at": now,
                **public,
            },
        )
        self.env["telecoop.ballot.participation"]._record(
            resolution, voter, channel, cast_by_partner, proxy, now
        )
        self._send_receipt(resolution, voter, receipt)
        return entry.with_context(telecoop_receipt=receipt)

    @api.model
    def _append(self, resolution, vals):
        """Add an entry at the end of the chain of ``resolution``.

        The head of the chain (hash and count on the resolution row) is updated
        in SQL first: it locks the row, so two ballots cast at the same time
        queue up; under Odoo's repeatable-read transactions the second one then
        fails with a serialization error and is retried by the server, so it
        always chains to the entry of the first one and never forks the chain.
        """
        cr = self.env.cr
        cr.execute(
            """
            UPDATE telecoop_resolution
               SET ballot_count = COALESCE(ballot_count, 0) + 1
             WHERE id = %s
         RETURNING ballot_count, ballot_head_hash
            """,
            (resolution.id,),
        )
        sequence, head = cr.fetchone()
        vals = dict(
            vals,
            assembly_id=resolution.assembly_id.id,
            resolution_id=resolution.id,
            secret=resolution.secret,
            sequence=sequence,
            prev_hash=head or ballot_chain.GENESIS,
        )
        vals["entry_hash"] = ballot_chain.entry_hash(self._chain_content(vals))
        # created as the superuser: no trace of the casting user on the entry
        entry = self.sudo().with_context(telecoop_cast=True).create(vals)
        cr.execute(
            "UPDATE telecoop_resolution SET ballot_head_hash = %s WHERE id = %s",
            (vals["entry_hash"], resolution.id),
        )
        resolution.invalidate_recordset(["ballot_count", "ballot_head_hash"])
        return self.browse(entry.id)

    @api.model
    def _chain_content(self, vals):
        """The values the hash covers, from create values or a stored row."""
        sealed_at = vals.get("sealed_at")
        return {
            "resolution": vals["resolution_id"],
            "sequence": vals["sequence"],
            "choice": vals["choice_id"],
            "college": vals["college_id"],
            "voter": vals.get("voter_id") or None,
            "voter_key": vals["voter_key"],
            "receipt_hash": vals["receipt_hash"],
            "sealed_at": fields.Datetime.to_string(sealed_at) if sealed_at else None,
            "prev_hash": vals["prev_hash"],
        }

    def _send_receipt(self, resolution, voter, receipt):
        """Queue the receipt by e-mail to the voter.

        The mail is attached to no document and written by nobody, so that no
        back-office user can read it through the messages; it is deleted once
        sent.
        """
        partner = voter.partner_id
        if not partner.email:
            return
        assembly = resolution.assembly_id
        lang = partner.lang or self.env.lang
        Ballot = self.with_context(lang=lang)
        body = (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._render(
                "telecoop_agm.mail_ballot_receipt",
                {
                    "partner": partner,
                    "assembly": assembly,
                    "resolution": resolution.with_context(lang=lang),
                    "receipt": receipt,
                    "url": f"{assembly.get_base_url()}/my/assemblies/{assembly.id}#receipt",
                },
            )
        )
        self.env["mail.mail"].with_user(SUPERUSER_ID).create(
            {
                "subject": Ballot.env._(
                    "Your ballot receipt: %(assembly)s", assembly=assembly.name
                ),
                "body_html": body,
                "email_from": assembly.company_id.email_formatted or self.env.user.email_formatted,
                "recipient_ids": [(4, partner.id)],
                "author_id": False,
                "auto_delete": True,
            }
        )

    # Verification -------------------------------------------------------------
    @api.model
    def _verify_resolution(self, resolution):
        """Check the chain of ``resolution``: ``None`` or the first ballot_chain.Problem."""
        box = self._get_box(resolution)
        box.flush_model()
        resolution.flush_recordset(["ballot_count", "ballot_head_hash"])
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT resolution_id, sequence, choice_id, college_id, voter_id, voter_key,
                       receipt_hash, sealed_at, prev_hash, entry_hash
                  FROM %s
                 WHERE resolution_id = %s
              ORDER BY sequence, id
                """,
                SQL.identifier(box._table),
                resolution.id,
            )
        )
        entries = []
        for row in cr.dictfetchall():
            content = self._chain_content(row)
            content["entry_hash"] = row["entry_hash"]
            entries.append(content)
        cr.execute(
            "SELECT ballot_head_hash, ballot_count FROM telecoop_resolution WHERE id = %s",
            (resolution.id,),
        )
        head_hash, head_count = cr.fetchone()
        return ballot_chain.verify(entries, head_hash, head_count)

    @api.model
    def _describe_problem(self, resolution, problem):
        reasons = {
            "changed": self.env._("its content does not match its hash (changed)"),
            "previous": self.env._(
                "the previous hash it records does not match the entry before it"
            ),
            "gap": self.env._("it is missing (removed)"),
            "head": self.env._("the box ends before the last entry recorded (entries removed)"),
        }
        return self.env._(
            "Resolution %(resolution)s, entry %(sequence)s: %(reason)s.",
            resolution=resolution.name,
            sequence=problem.sequence,
            reason=reasons[problem.reason],
        )


class TelecoopBallotSecret(models.Model):
    """An entry of the ballot box of a secret vote: the same, in its own table.

    No member, channel, author or time is ever written on these entries.
    """

    _name = "telecoop.ballot.secret"
    _inherit = "telecoop.ballot"
    _description = "Secret ballot box entry"
    _log_access = False
