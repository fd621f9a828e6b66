"""EcoGov: the work platform of an ecology and environment bureau."""

__version__ = "0.1.0"
