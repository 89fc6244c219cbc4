from . import telecoop_mobile_plan
from . import telecoop_mobile_line
from . import res_company
from . import telecoop_usage_source
from . import telecoop_usage_import
from . import telecoop_usage_import_error
from . import telecoop_usage_record
