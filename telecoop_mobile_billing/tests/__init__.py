from . import test_pricing
from . import test_lines
from . import test_rating
from . import test_billing
from . import test_cdr_parse
from . import test_usage_import
from . import test_usage_http
