from .badges import Assertion
from .cards import MethodCard
from .recipes import Recipe, RecipeStep
from .trainings import Module, Registration, Seat, Session, TrainingPath

__all__ = ["Assertion", "MethodCard", "Module", "Recipe", "RecipeStep", "Registration", "Seat",
           "Session", "TrainingPath"]  # fmt: skip
