from . import test_convocation_documents
