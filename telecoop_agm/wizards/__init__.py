from . import telecoop_ballot_entry
from . import telecoop_surplus_allocation_wizard
from . import telecoop_belenios_export
from . import telecoop_belenios_import
from . import telecoop_membership_representative
