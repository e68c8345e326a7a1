"""site_builder: turn source articles into a polished, trustworthy static website."""

__version__ = "0.1.0"
