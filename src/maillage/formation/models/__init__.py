from .badges import Assertion
from .cards import MethodCard
from .recipes import Recipe, RecipeStep
from .trainings import Evaluation, Module, Registration, Seat, Session, TrainingPath

__all__ = ["Assertion", "Evaluation", "MethodCard", "Module", "Recipe", "RecipeStep",
           "Registration", "Seat", "Session", "TrainingPath"]  # fmt: skip
