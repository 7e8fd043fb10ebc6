"""Signals other apps listen to when the tree changes shape.

They let the apps above `org` (accounts, members) keep their own rows in step without `org`
importing them (docs/architecture.md, layers). Each is sent inside the write's transaction and
its `acting()` block, so what a receiver writes is audited under the same actor.
"""

from django.dispatch import Signal

# Sent after a subtree's paths were rewritten: kwargs old_prefix, new_prefix (str).
# Apps that denormalise unit paths (members) rewrite theirs with the same prefix swap.
subtree_moved = Signal()

# Sent when a unit stops existing (dissolved, or merged into another): kwargs unit, on (date).
# accounts ends the roles held on it the day before.
unit_ended = Signal()

# Sent by the merge preview: kwargs units (the sources). Each receiver returns {label: count}
# of what it holds on them, shown to the user before the merge (accounts: the grants to end).
merge_attached = Signal()
