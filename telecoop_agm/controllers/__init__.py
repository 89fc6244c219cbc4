from . import portal
from . import interest_portal
