"""What other apps may read of remediation (EMU-11: the competition sheet's penalty candidates).
"""

from .selectors import unremedied

__all__ = ["unremedied"]
