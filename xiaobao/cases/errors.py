"""Refusals raised by the services; the API and the pages translate them to status codes and messages."""


class Refused(Exception):
    status = 400

    def __init__(self, message: str, **extra):
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(Refused):
    status = 404


class NotPermitted(Refused):
    status = 403


class WrongState(Refused):
    status = 409


class Invalid(Refused):
    status = 422

    def __init__(self, errors: list[dict]):
        super().__init__("；".join(f"{e['message']}" for e in errors))
        self.errors = errors
