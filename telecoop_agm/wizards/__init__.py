from . import telecoop_ballot_entry
