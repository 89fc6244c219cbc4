from . import portal, public_subscription
