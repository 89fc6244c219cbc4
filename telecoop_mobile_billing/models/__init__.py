from . import telecoop_mobile_plan
from . import telecoop_mobile_line
