# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.3.0: the priced month stores what each holder of the month used.

The tracker, the history and the sobriety figures of a holder read the
quantities of the priced month (``telecoop.priced.quantity``) instead of the
raw usage records, which the retention purge deletes. The priced months stored
before get theirs here, without pricing anything again (an invoiced month stays
as invoiced): a month with one holder from its line's rated usage, a month whose
line changed holder split by day from its raw records, when they are still
there (otherwise named in the log, see ``_fill_missing``).
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    filled = env["telecoop.priced.quantity"]._fill_missing()
    _logger.info("Quantities per holder stored for %s priced months", filled)
