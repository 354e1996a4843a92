"""model links."""

__all__: list[str] = []
