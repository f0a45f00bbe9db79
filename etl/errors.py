"""Errors a load raises when it refuses a file: the message is the one line the user sees."""


class LoadRefused(Exception):
    """The whole file is refused; the warehouse is left exactly as it was."""
