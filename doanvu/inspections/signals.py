"""What the inspections app tells the modules above it, which it may not import (layers).

`slot_changed`: a session was scheduled or moved (sender: `Session`; keyword `session`). The
emulation module follows it: the departments' scoring of the unit is due before the slot
(seed 001 §III.3, EMU-2). Sent inside the scheduling transaction, after the session is saved.
"""

from __future__ import annotations

from django.dispatch import Signal

slot_changed = Signal()
