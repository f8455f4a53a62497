from .badges import Assertion
from .cards import MethodCard
from .trainings import Module, Registration, Seat, Session, TrainingPath

__all__ = ["Assertion", "MethodCard", "Module", "Registration", "Seat", "Session",
           "TrainingPath"]  # fmt: skip
