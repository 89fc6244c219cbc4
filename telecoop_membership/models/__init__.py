from . import telecoop_statute_profile
from . import telecoop_college
from . import telecoop_assembly_rule
from . import res_company
