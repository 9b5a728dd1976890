"""The console's reports (issue 13): Kela's TT3 absence notice, the site's monthly
attendance report, the participant's statement and the toimintaraha payment list.

The figures come from the nightly forward's builder (see :mod:`.data`); this package
only lays them out as PDF (fpdf2), XLSX (openpyxl) and CSV.
"""
