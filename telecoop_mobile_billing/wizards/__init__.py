from . import telecoop_usage_upload_wizard
from . import telecoop_usage_attach_wizard
from . import telecoop_plan_change_wizard
