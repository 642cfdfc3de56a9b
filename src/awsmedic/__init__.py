"""awsmedic: diagnose AWS credential and authentication errors."""

__version__ = "0.1.0"
