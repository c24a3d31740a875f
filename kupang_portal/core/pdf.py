"""Small drawing helpers shared by the PDF receipts (reportlab)."""

import segno


def draw_qr(pdf, data, x, y, size):
    """Draw a QR code as vector squares (crisp at any zoom, no image library needed)."""
    qr = segno.make(data, error="m")
    matrix = [list(row) for row in qr.matrix]
    count = len(matrix)
    quiet = 2
    module = size / (count + 2 * quiet)
    pdf.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + (c + quiet) * module, y + size - (r + quiet + 1) * module, module, module, stroke=0, fill=1)
