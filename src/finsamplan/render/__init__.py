"""Rendering a plan: one view model, many formats (md, html, pdf, xlsx, csv, json).

Each format module takes the view (``view.build``) and returns bytes or text; writing the
files safely is ``files``'s job. Heavy libraries (WeasyPrint, XlsxWriter, matplotlib) are
imported only by the format that needs them.
"""
