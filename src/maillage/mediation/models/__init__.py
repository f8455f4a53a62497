"""The médiation numérique's records: accompaniments and the people accompanied, and the
appointments at the permanence."""

from .accompaniments import Accompaniment, Beneficiary, Participation
from .appointments import Absence, Appointment, Opening, Slot

__all__ = ["Absence", "Accompaniment", "Appointment", "Beneficiary", "Opening", "Participation",
           "Slot"]  # fmt: skip
