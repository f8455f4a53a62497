class DomainError(Exception):
    """An action refused by the domain's rules; its message is French and shown to the user."""

    status = 409

    def __init__(self, message: str, *, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code
