from . import models
from . import wizards
from . import controllers


def uninstall_hook(env):
    """Share movements are immutable for users; uninstalling removes them first so
    that the records they point to (requests, classes, colleges) can go too.

    Journal entries are the cooperative's books and stay: so do the partners and
    the accounts (demo data) they use, which are released from this module.
    """
    env.cr.execute("DELETE FROM telecoop_share_line")
    env.cr.execute(
        """
        DELETE FROM ir_model_data
         WHERE module = 'telecoop_membership'
           AND model IN ('res.partner', 'account.account')
        """
    )
