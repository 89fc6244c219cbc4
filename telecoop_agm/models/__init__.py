from . import telecoop_assembly
from . import telecoop_assembly_college
from . import telecoop_assembly_voter
from . import telecoop_assembly_proxy
from . import telecoop_resolution
from . import telecoop_resolution_choice
from . import telecoop_resolution_result
from . import telecoop_ballot
