"""rnn links."""

__all__: list[str] = []
