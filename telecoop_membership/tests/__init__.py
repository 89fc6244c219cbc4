from . import test_statute_profile
from . import test_security
from . import test_register
