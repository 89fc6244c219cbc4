# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import os
import secrets

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..services import ballot_chain, seal, urn

_logger = logging.getLogger(__name__)

# server configuration option (odoo.conf) holding the secret of the voter keys
SECRET_OPTION = "telecoop_agm_ballot_secret"
# the secrets read from their key files, by path (read once per process)
_KEY_FILES = {}


class TelecoopBallot(models.Model):
    """An entry of the ballot box: inserted, never updated nor deleted.

    The box of each resolution is a hash chain (``services/ballot_chain.py``):
    every entry records the hash of the entry before it. A member who votes
    again adds an entry with the same ``voter_key`` (an HMAC of the voter and
    the resolution under a server secret); the entry that counts is the last
    one of each key.

    When the resolution is secret, the choices wait in the sealed urn of
    ``telecoop.ballot.secret`` while the vote is open and are shuffled into its
    box at closing: the entry holds no voter, no channel and no time, and its id
    and sequence come from the shuffle. Who took part is recorded in
    ``telecoop.ballot.participation``, what was chosen there, and the two are
    linked only through the secret of the key, which lives in the server
    configuration, not in the database. Entries have no create/write log.

    No group has create rights: :meth:`_cast` is the only writer (with the seal
    of ``services/seal.py``).
    """

    _name = "telecoop.ballot"
    _description = "Ballot box entry"
    _order = "resolution_id, sequence desc"
    _rec_name = "entry_hash"
    _log_access = False
    _check_company_auto = True

    assembly_id = fields.Many2one(
        "telecoop.assembly",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="assembly_id.company_id", store=True, index=True)
    resolution_id = fields.Many2one(
        "telecoop.resolution",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
    )
    secret = fields.Boolean(readonly=True, help="Entry of a secret vote: no voter is stored.")
    sequence = fields.Integer(readonly=True, help="Position in the box of the resolution.")
    choice_id = fields.Many2one(
        "telecoop.resolution.choice",
        required=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    college_id = fields.Many2one(
        "telecoop.college",
        required=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
        help="College of the voter, needed by the weighted tally.",
    )
    # set for public votes only
    voter_id = fields.Many2one(
        "telecoop.assembly.voter",
        ondelete="restrict",
        index=True,
        readonly=True,
        check_company=True,
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
    proxy_id = fields.Many2one(
        "telecoop.assembly.proxy", ondelete="restrict", readonly=True, check_company=True
    )
    cast_by_partner_id = fields.Many2one("res.partner", readonly=True, string="Cast by")
    cast_by_user_id = fields.Many2one("res.users", readonly=True, string="Entered by")
    cast_at = fields.Datetime(readonly=True)
    # the chain
    # system only: whoever is shown a member's receipt must not find its choice with it
    receipt_hash = fields.Char(
        readonly=True, index=True, groups="base.group_system", help="SHA-256 of the receipt."
    )
    voter_key = fields.Char(readonly=True, index=True, groups="base.group_system")
    prev_hash = fields.Char(string="Previous hash", readonly=True)
    entry_hash = fields.Char(readonly=True)

    _receipt_unique = models.Constraint("unique(receipt_hash)", "A receipt is unique.")
    _sequence_unique = models.Constraint(
        "unique(resolution_id, sequence)", "An entry of the ballot box has a unique place."
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.browse().check_access("create")  # no group has the right: AccessError first
        if not seal.is_sealed(self.env.context):
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
        """The server secret of the voter keys and of the sealed urn, never in the database.

        The option ``telecoop_agm_ballot_secret`` of the server configuration
        (odoo.conf); without it, a random secret written once in the data
        directory of the server (``<data_dir>/telecoop_agm/<database>.key``,
        readable by the server's user only). A dump of the database alone holds
        neither.
        """
        configured = tools.config.get(SECRET_OPTION)
        if configured:
            return str(configured)
        folder = os.path.join(tools.config["data_dir"], "telecoop_agm")
        path = os.path.join(folder, f"{self.env.cr.dbname}.key")
        if path in _KEY_FILES:
            return _KEY_FILES[path]
        if os.path.exists(path):
            with open(path, encoding="ascii") as handle:
                _KEY_FILES[path] = handle.read().strip()
            return _KEY_FILES[path]
        os.makedirs(folder, mode=0o700, exist_ok=True)
        value = secrets.token_hex(32)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker wrote it first
            with open(path, encoding="ascii") as handle:
                return handle.read().strip()
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(value)
        _logger.warning(
            "telecoop_agm: no %s in the server configuration; the secret of the voter keys "
            "was written in %s (keep it with the configuration, out of database dumps).",
            SECRET_OPTION,
            path,
        )
        return value

    @api.model
    def _voter_key(self, voter, resolution):
        return ballot_chain.voter_key(self._get_key_secret(), voter.id, resolution.id)

    # Casting ------------------------------------------------------------------
    @api.model
    def _cast(self, resolution, voter, choice, channel, cast_by_partner, proxy=None, in_room=False):
        """Put a ballot in the box after checking who may cast it.

        - ``online``: the member votes for themselves (``cast_by_partner`` is the
          voter), and has not given an active proxy;
        - ``proxy``: ``cast_by_partner`` holds an active proxy from the voter;
        - ``room``: staff enter the ballot of a member present in the room who
          has not given a proxy.
        A ballot entered in the room (``room``, or ``proxy`` with ``in_room``)
        does not replace an online vote unless the statutes say so.
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
        if resolution.sudo().result_source == "belenios":
            raise UserError(
                self.env._(
                    "Resolution %(resolution)s is voted in Belenios: no ballot is cast for "
                    "it in Odoo; each member votes in Belenios with the credential it sends.",
                    resolution=resolution.name,
                )
            )
        now = assembly._check_voting_open()
        Proxy = self.env["telecoop.assembly.proxy"]
        active_given = Proxy.sudo().search(
            [("giver_id", "=", voter.id), ("state", "=", "active")], limit=1
        )
        if channel == "proxy":
            if proxy:  # a withdrawal at the same instant waits, then retries
                proxy.sudo()._lock_rows()
            if (
                not proxy
                or proxy.state != "active"
                or proxy.giver_id != voter
                or not proxy.holder_id._acts_for(cast_by_partner)
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
            if not voter._acts_for(cast_by_partner):
                raise UserError(self.env._("A member votes online only for themselves."))
        elif channel == "room":
            if not voter.present:
                raise UserError(
                    self.env._("%(member)s is not on the attendance sheet.",
                               member=voter.partner_id.name)
                )  # fmt: skip
        else:
            raise UserError(self.env._("Unknown channel."))
        Participation = self.env["telecoop.ballot.participation"]
        if channel in ("online", "proxy") and not in_room:
            Participation._check_same_caster(resolution, voter, channel, cast_by_partner)
        if channel == "room" or in_room:  # a ballot entered by staff in the room
            Participation._check_room_over_online(resolution, voter)
        receipt = secrets.token_urlsafe(18)
        voter_key = self._voter_key(voter, resolution)
        if resolution.secret:
            # sealed urn: nothing that orders the choice with the member until closing
            entry = self.env["telecoop.ballot.secret"]._urn_put(
                resolution,
                voter_key,
                {
                    "choice": choice.id,
                    "college": voter.college_id.id,
                    "proxy": proxy.id if proxy else None,
                },
                ballot_chain.receipt_hash(receipt),
            )
        else:
            entry = self._append(
                resolution,
                {
                    "choice_id": choice.id,
                    "college_id": voter.college_id.id,
                    "voter_key": voter_key,
                    "receipt_hash": ballot_chain.receipt_hash(receipt),
                    "voter_id": voter.id,
                    "channel": channel,
                    "proxy_id": proxy.id if proxy else False,
                    "cast_by_partner_id": cast_by_partner.id if cast_by_partner else False,
                    "cast_by_user_id": self.env.uid,
                    "cast_at": now,
                },
            )
        Participation._record(
            resolution,
            voter,
            channel,
            cast_by_partner,
            proxy,
            now,
            in_room=channel == "room" or in_room,
        )
        self._send_receipt(resolution, voter, receipt, cast_by_partner)
        return entry.with_context(telecoop_receipt=receipt)

    @api.model
    def _current_choice(self, resolution, voter, proxy=None):
        """The choice that counts now for ``voter`` on ``resolution``, for the portal.

        With ``proxy`` (the holder asks for a giver), only a choice cast with that
        proxy: never the giver's own earlier choice.
        """
        voter_key = self._voter_key(voter, resolution)
        if resolution.secret:
            return self.env["telecoop.ballot.secret"]._current_secret_choice(
                resolution, voter_key, proxy
            )
        entry = self.sudo().search(
            [("resolution_id", "=", resolution.id), ("voter_key", "=", voter_key)],
            order="sequence desc",
            limit=1,
        )
        if proxy and entry.proxy_id != proxy:
            return self.env["telecoop.resolution.choice"]
        return entry.choice_id

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
        choice = self.env["telecoop.resolution.choice"].sudo().browse(vals["choice_id"])
        vals["entry_hash"] = ballot_chain.entry_hash(
            self._chain_content(dict(vals, choice_code=choice.code, choice_name=choice.name))
        )
        # created as the superuser: no trace of the casting user on the entry
        entry = self.sudo().with_context(**seal.sealed_context()).create(vals)
        cr.execute(
            "UPDATE telecoop_resolution SET ballot_head_hash = %s WHERE id = %s",
            (vals["entry_hash"], resolution.id),
        )
        resolution.invalidate_recordset(["ballot_count", "ballot_head_hash"])
        return self.browse(entry.id)

    @api.model
    def _chain_content(self, vals):
        """The values the hash covers, from create values or a stored row.

        ``choice_code`` and ``choice_name`` are read from the choice (joined when
        verifying), so that rewriting what a choice means breaks the chain.
        """
        cast_at = vals.get("cast_at")
        return {
            "resolution": vals["resolution_id"],
            "sequence": vals["sequence"],
            "secret": bool(vals.get("secret")),
            "choice": vals["choice_id"],
            "choice_code": vals["choice_code"],
            "choice_name": vals["choice_name"],
            "college": vals["college_id"],
            "voter": vals.get("voter_id") or None,
            "channel": vals.get("channel") or None,
            "proxy": vals.get("proxy_id") or None,
            "cast_by_partner": vals.get("cast_by_partner_id") or None,
            "cast_by_user": vals.get("cast_by_user_id") or None,
            "cast_at": fields.Datetime.to_string(cast_at) if cast_at else None,
            "private": ballot_chain.private_digest(vals["voter_key"], vals["receipt_hash"]),
            "prev_hash": vals["prev_hash"],
        }

    @api.model
    def _read_chain(self, resolution):
        """The entries of the box of ``resolution`` as stored, with what their hash covers."""
        box = self._get_box(resolution)
        box.flush_model()
        self.env["telecoop.resolution.choice"].flush_model(["code", "name"])
        self.env.cr.execute(
            SQL(
                """
                SELECT b.resolution_id, b.sequence, b.secret, b.choice_id,
                       c.code AS choice_code, c.name AS choice_name, b.college_id,
                       b.voter_id, b.channel, b.proxy_id, b.cast_by_partner_id,
                       b.cast_by_user_id, b.cast_at, b.voter_key, b.receipt_hash,
                       b.prev_hash, b.entry_hash
                  FROM %s b
             LEFT JOIN telecoop_resolution_choice c ON c.id = b.choice_id
                 WHERE b.resolution_id = %s
              ORDER BY b.sequence, b.id
                """,
                SQL.identifier(box._table),
                resolution.id,
            )
        )
        entries = []
        for row in self.env.cr.dictfetchall():
            content = self._chain_content(row)
            content["entry_hash"] = row["entry_hash"]
            entries.append(content)
        return entries

    def _send_receipt(self, resolution, voter, receipt, cast_by_partner=None):
        """Send the receipt by e-mail, once the ballot is committed, to the member whose
        ballot it is (kept informed, as a proxy giver is; a company member without an
        e-mail address through its representative) and to the person who acted, when
        another one: the representative of a company member, a proxy holder.

        The receipt is never stored nor queued in clear: the message is built in
        memory and handed to the mail server after the commit (nothing is sent
        for a ballot rolled back); the box keeps its hash only.
        """
        member = voter.partner_id
        actor = cast_by_partner or member
        # a ballot cast for a member reaches a person of it: its address, else its
        # representative's, even when a proxy holder cast it
        recipients = (voter._get_informed_partner() | actor).filtered("email")
        assembly = resolution.assembly_id
        MailServer = self.env["ir.mail_server"].sudo()
        messages = []
        for partner in recipients:
            lang = partner.lang or self.env.lang
            Ballot = self.with_context(lang=lang)
            body = (
                self.env["ir.qweb"]
                .with_context(lang=lang)
                ._render(
                    "telecoop_agm.mail_ballot_receipt",
                    {
                        "partner": partner,
                        "member": member,
                        "actor": actor,
                        "assembly": assembly,
                        "resolution": resolution.with_context(lang=lang),
                        "receipt": receipt,
                        "url": f"{assembly.get_base_url()}/my/assemblies/{assembly.id}#receipt",
                    },
                )
            )
            messages.append(
                MailServer._build_email__(
                    email_from=assembly.company_id.email_formatted or self.env.user.email_formatted,
                    email_to=[partner.email_formatted],
                    subject=Ballot.env._(
                        "Your ballot receipt: %(assembly)s", assembly=assembly.name
                    ),
                    body=body,
                    subtype="html",
                )
            )
        if not messages:
            return

        @self.env.cr.postcommit.add
        def send():
            for message in messages:
                try:
                    MailServer.send_email(message)
                except Exception:  # the ballot is cast; the portal showed the receipt
                    _logger.exception("telecoop_agm: the receipt e-mail could not be sent")

    # Verification -------------------------------------------------------------
    @api.model
    def _verify_resolution(self, resolution):
        """Check the chain of ``resolution``: ``None`` or the first ballot_chain.Problem."""
        resolution.flush_recordset(["ballot_count", "ballot_head_hash"])
        entries = self._read_chain(resolution)
        cr = self.env.cr
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

    No member, channel, author or time is ever written on these entries. While
    the vote is open the choices are not here but in the sealed urn, a table of
    envelopes with a random key, no serial id and no time
    (``telecoop_ballot_envelope``, owned by this model, read and written only by
    the methods below); receipts of replaced envelopes are kept, without
    anything else, in ``telecoop_ballot_spent_receipt``. At closing,
    :meth:`_seal_urn` opens the envelopes, shuffles them and appends them here.
    """

    _name = "telecoop.ballot.secret"
    _inherit = "telecoop.ballot"
    _description = "Secret ballot box entry"
    _log_access = False

    def init(self):
        result = super().init()
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS telecoop_ballot_envelope (
                envelope_key VARCHAR PRIMARY KEY,
                resolution_id INTEGER NOT NULL
                    REFERENCES telecoop_resolution(id) ON DELETE CASCADE,
                voter_key VARCHAR NOT NULL,
                receipt_hash VARCHAR NOT NULL UNIQUE,
                sealed_content TEXT NOT NULL,
                UNIQUE (resolution_id, voter_key)
            );
            CREATE TABLE IF NOT EXISTS telecoop_ballot_spent_receipt (
                receipt_hash VARCHAR PRIMARY KEY,
                resolution_id INTEGER NOT NULL
                    REFERENCES telecoop_resolution(id) ON DELETE CASCADE
            );
            """
        )
        return result

    @api.model
    def _urn_put(self, resolution, voter_key, content, receipt_hash):
        """Put the voter's current choice in the urn, replacing their envelope if any."""
        resolution._lock_heads()  # the closing at the same instant waits, as for a public box
        cr = self.env.cr
        secret = self._get_key_secret()
        key = urn.envelope_key()
        cr.execute(
            SQL(
                """
                WITH old AS (
                    DELETE FROM telecoop_ballot_envelope
                     WHERE resolution_id = %(resolution)s AND voter_key = %(voter_key)s
                 RETURNING receipt_hash
                )
                INSERT INTO telecoop_ballot_spent_receipt (receipt_hash, resolution_id)
                SELECT receipt_hash, %(resolution)s FROM old
                """,
                resolution=resolution.id,
                voter_key=voter_key,
            )
        )
        cr.execute(
            SQL(
                """
                INSERT INTO telecoop_ballot_envelope
                       (envelope_key, resolution_id, voter_key, receipt_hash, sealed_content)
                VALUES (%s, %s, %s, %s, %s)
                ON CONFLICT (resolution_id, voter_key) DO UPDATE
                   SET envelope_key = EXCLUDED.envelope_key,
                       receipt_hash = EXCLUDED.receipt_hash,
                       sealed_content = EXCLUDED.sealed_content
                """,
                key,
                resolution.id,
                voter_key,
                receipt_hash,
                urn.seal(secret, key, content),
            )
        )
        return self.browse()

    @api.model
    def _urn_envelopes(self, resolution):
        """The envelopes of ``resolution``, opened: list of (voter key, receipt hash, content)."""
        secret = self._get_key_secret()
        self.env.cr.execute(
            SQL(
                "SELECT envelope_key, voter_key, receipt_hash, sealed_content"
                "  FROM telecoop_ballot_envelope WHERE resolution_id = %s",
                resolution.id,
            )
        )
        envelopes = []
        for key, voter_key, receipt, sealed in self.env.cr.fetchall():
            try:
                envelopes.append((voter_key, receipt, urn.unseal(secret, key, sealed)))
            except urn.UrnError as error:
                raise UserError(
                    self.env._(
                        "Resolution %(resolution)s: an envelope of the sealed urn does not "
                        "open (%(error)s); nothing is sealed into the box.",
                        resolution=resolution.name,
                        error=error,
                    )
                ) from error
        return envelopes

    @api.model
    def _current_secret_choice(self, resolution, voter_key, proxy=None):
        """The choice of ``voter_key`` in the urn (open vote) or the box (after closing)."""
        Choice = self.env["telecoop.resolution.choice"].sudo()
        for envelope_voter_key, _receipt, content in self._urn_envelopes(resolution):
            if envelope_voter_key == voter_key:
                if proxy and content.get("proxy") != proxy.id:
                    return Choice
                return Choice.browse(content["choice"]).exists()
        if proxy:  # the box no longer says who cast an entry
            return Choice
        entry = self.sudo().search(
            [("resolution_id", "=", resolution.id), ("voter_key", "=", voter_key)], limit=1
        )
        return entry.choice_id

    @api.model
    def _urn_receipt_status(self, assembly, receipt_hash):
        """``recorded`` (in an envelope), ``replaced`` (a spent envelope) or ``not_found``."""
        self.env.cr.execute(
            SQL(
                """
                SELECT 'recorded' FROM telecoop_ballot_envelope e
                  JOIN telecoop_resolution r ON r.id = e.resolution_id
                 WHERE e.receipt_hash = %(receipt)s AND r.assembly_id = %(assembly)s
                 UNION ALL
                SELECT 'replaced' FROM telecoop_ballot_spent_receipt s
                  JOIN telecoop_resolution r ON r.id = s.resolution_id
                 WHERE s.receipt_hash = %(receipt)s AND r.assembly_id = %(assembly)s
                """,
                receipt=receipt_hash,
                assembly=assembly.id,
            )
        )
        row = self.env.cr.fetchone()
        return row[0] if row else "not_found"

    @api.model
    def _seal_urn(self, resolution):
        """At closing: the last envelope of each voter, shuffled, into the chained box."""
        envelopes = urn.shuffled(self._urn_envelopes(resolution))
        for voter_key, receipt, content in envelopes:
            self._append(
                resolution,
                {
                    "choice_id": content["choice"],
                    "college_id": content["college"],
                    "voter_key": voter_key,
                    "receipt_hash": receipt,
                },
            )
        self.env.cr.execute(
            SQL("DELETE FROM telecoop_ballot_envelope WHERE resolution_id = %s", resolution.id)
        )
        return len(envelopes)
