from . import pricing
from . import masking
