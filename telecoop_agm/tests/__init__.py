from . import test_convocation_documents
from . import test_portal_pages
from . import test_multicompany_red_team
