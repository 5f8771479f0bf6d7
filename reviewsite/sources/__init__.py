"""Fetching a work's record from PubMed and Crossref, and its corrections, politely and reproducibly.

Library code only: nothing here prints or exits. Every failure is a `SourceError` (a `SiteError`) whose
message is one line naming the URL. `http.PoliteClient` does the fetching; `pubmed`, `crossref` and
`retractions` parse what it returns; `corrections` orders the notices most urgent first.
"""
