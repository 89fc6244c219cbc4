from . import telecoop_register_wizard
