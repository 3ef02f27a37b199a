"""medtrust: cybersecurity of medical technology in European healthcare."""

__version__ = "0.1.0"
