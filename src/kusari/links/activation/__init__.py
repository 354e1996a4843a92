"""activation links."""

__all__: list[str] = []
