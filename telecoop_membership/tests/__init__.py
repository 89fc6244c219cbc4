from . import test_statute_profile
from . import test_security
from . import test_register
from . import test_share_rules
from . import test_subscription
from . import test_transfer_buyback
from . import test_accounting
from . import test_register_reports
