"""loss links."""

__all__: list[str] = []
