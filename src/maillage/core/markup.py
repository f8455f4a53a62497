"""Numbers as markup reads them. A page in French writes « 6,7 % » for a person, but an SVG
coordinate, a CSS length, an attribute or JSON must be « 6.7 »: a browser rejects « 6,7 » and
draws nothing. Every number that goes into markup goes through `number`, never through the
template's localised rendering of a float."""


def number(value: float | int, places: int = 3) -> str:
    """VALUE with a point for decimals, no grouping and at most PLACES decimals."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".") if places else f"{value:.0f}"
    return "0" if text in {"", "-0"} else text
