class DomainError(Exception):
    """An action refused by the domain's rules; its message is French and shown to the user.

    STATUS is what the API answers: 409 for a conflict with the state of things, 422 for input
    that can never be right; DETAILS go into the API's problem document (the conflicting slot)."""

    status = 409

    def __init__(
        self, message: str, *, code: str = "refused", status: int | None = None, **details
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status or self.status
        self.details = details
