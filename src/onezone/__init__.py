"""OneZone: the management platform of a development zone run as one zone, several parks."""

__version__ = "0.1.0"
