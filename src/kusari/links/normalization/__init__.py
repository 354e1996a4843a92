"""normalization links."""

__all__: list[str] = []
