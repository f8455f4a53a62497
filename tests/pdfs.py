"""Reading a PDF's drawing as a reader would see it: the bars its charts put on the page."""

import pypdfium2
import pypdfium2.raw as pdfium_c

PAGE_WIDE = 400  # points: a frame or a page-wide rule is no bar


def _shapes(document: bytes) -> list[tuple[float, float]]:
    shapes = []
    pdf = pypdfium2.PdfDocument(document)
    try:
        for page in pdf:
            for shape in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
                left, bottom, right, top = shape.get_bounds()
                shapes.append((right - left, top - bottom))
    finally:
        pdf.close()
    return shapes


def tallest_shape(document: bytes) -> float:
    """The height, in points, of the tallest shape drawn: a legend's swatch drawn page-wide
    shows here."""
    return max((height for _width, height in _shapes(document)), default=0.0)


def drawn_bars(document: bytes) -> list[tuple[float, float]]:
    """The width and height, in points, of every filled shape that could be a chart's bar or
    a merit profile's segment: wider and taller than 2 pt (a table's rule is not), narrower
    than the page."""
    return [(w, h) for w, h in _shapes(document) if 2 < w < PAGE_WIDE and 2 < h < PAGE_WIDE]
