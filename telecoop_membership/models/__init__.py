from . import telecoop_statute_profile
from . import telecoop_college
from . import telecoop_assembly_rule
from . import telecoop_share_class
from . import telecoop_share_line
from . import res_company
from . import res_partner
