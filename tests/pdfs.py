"""Reading a PDF's drawing as a reader would see it: the bars its charts put on the page."""

import pypdfium2
import pypdfium2.raw as pdfium_c

PAGE_WIDE = 400  # points: a frame or a page-wide rule is no bar


def drawn_bars(document: bytes) -> list[tuple[float, float]]:
    """The width and height, in points, of every filled shape that could be a chart's bar or
    a merit profile's segment: wider and taller than 2 pt (a table's rule is not), narrower
    than the page."""
    bars = []
    pdf = pypdfium2.PdfDocument(document)
    try:
        for page in pdf:
            for shape in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
                left, bottom, right, top = shape.get_bounds()
                width, height = right - left, top - bottom
                if 2 < width < PAGE_WIDE and 2 < height < PAGE_WIDE:
                    bars.append((width, height))
    finally:
        pdf.close()
    return bars
