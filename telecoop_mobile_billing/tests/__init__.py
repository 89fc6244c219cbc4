from . import test_pricing
