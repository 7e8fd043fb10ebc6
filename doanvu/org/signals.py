"""Signals other apps listen to when the tree changes shape."""

from django.dispatch import Signal

# Sent after a subtree's paths were rewritten: kwargs old_prefix, new_prefix (str).
# Apps that denormalise unit paths (members) rewrite theirs with the same prefix swap.
subtree_moved = Signal()
