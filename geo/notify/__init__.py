"""Being told when something moves: following, the in-app inbox, e-mail and feeds.

A change that others should hear of calls ``notices.notify`` inside its own write
transaction: the inbox rows and the e-mail outbox rows are committed with the change or
not at all. Who hears of it is decided here from what people follow (``follows``) and
from their roles in the thing (proposer, partner member, supporter, reporter).
"""
