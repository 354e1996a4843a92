"""Model links."""

from kusari.links.model.classifier import Classifier

__all__ = ["Classifier"]
