from . import test_pricing
from . import test_lines
from . import test_rating
from . import test_billing
