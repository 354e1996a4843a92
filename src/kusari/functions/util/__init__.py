"""Utilities over functions: recomputation to save memory."""

from kusari.functions.util.forget import forget

__all__ = ["forget"]
