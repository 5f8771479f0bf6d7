"""`new ID`: a review folder with every record file, each field explained, ready to fill in.

Required values are empty strings: `check` names each one until it is filled in. The review starts as
a draft (`draft: "true"`), so a half-made review never reaches the built site nor blocks the other
reviews, while `serve` previews it. Optional fields are commented out; uncomment the ones a source gives.
summary.yaml is the maintainers' own writing, so `new` adds it only when asked (`--summary`), and empty.
"""

from __future__ import annotations

from pathlib import Path

from .. import identifiers as ids
from ..errors import SiteError

ARTICLE = '''\
# yaml-language-server: $schema=../../schema/article.schema.json
# The review's bibliographic data. Every value comes from a source listed under `sources`
# at the end; leave out what no source gives, never guess. Fill in every "" below, then run
# `python build_site.py check`. Faster: `python build_site.py import export.nbib --review {id}`
# fills this file from PubMed's "Send to: Citation manager" export.
draft: "true"                  # remove this line when the review is done: until then `build` leaves it out,
                               # `serve` shows it (its problems on its own page only) and `check` lists them apart
title: ""                      # the article's title, exactly as the source writes it
journal:                       # the journal that published the review: its title, its abbreviation, or both
  title: ""                    # full journal title, e.g. Osteoporosis International
  iso_abbreviation: ""         # ISO/NLM abbreviation (PubMed's TA), e.g. Osteoporos Int
  # issn_print: ""             # print ISSN, NNNN-NNNC
  # issn_electronic: ""        # electronic ISSN, NNNN-NNNC
published: ""                  # issue date: YYYY, YYYY-MM or YYYY-MM-DD (PubMed 2011 Feb -> 2011-02)
# epub: ""                     # electronic publication date, e.g. 2010-06-23
# volume: ""                   # as the journal numbers it, e.g. 22
# issue: ""                    # e.g. 2, 3-4, Suppl 1
# pages: ""                    # as the source gives them: 435-46, 435-446 or e1234
# doi: ""                      # bare DOI, e.g. 10.1007/s00198-010-1326-y
# pmid: ""                     # PubMed id, digits only
# pmcid: ""                    # PubMed Central id, e.g. PMC1234567
publication_types:             # PubMed's publication types, e.g. Review; remove if no source gives them
  - ""
# language: ""                 # ISO 639 code in lowercase, e.g. en or eng
authors:                       # in the article's order; remove if no source names them
  - family: ""                 # a person's family name; for a group, write `collective` instead
    # collective: ""           # a group author's name, e.g. Example Study Group (then no family)
    # given: ""                # given names as the source writes them
    # initials: ""             # initials as the source writes them, e.g. AK
    # orcid: ""                # NNNN-NNNN-NNNN-NNNC
    # affiliations: []         # ids from `affiliations` below, e.g. ["example-hospital"]
# authors_complete: false      # say false when only the first author(s) are known (shown "et al.")
# affiliations:                # each author's institution, once, with an id authors refer to
#   - id: ""                   # lowercase letters, digits and hyphens
#     name: ""                 # as the source writes it
#     truncated: true          # only when the source's text stops partway
# keywords: []                 # the article's keywords, as the publisher lists them
# mesh_terms:                  # PubMed's MeSH headings
#   - descriptor: ""
#     qualifiers: []           # e.g. ["drug therapy"]
#     major: true              # only for a major topic (PubMed's *)
# copyright: ""                # the copyright line, e.g. © 2010 Publisher
# acknowledgment:              # the article's acknowledgment, when a source shows it
#   text: ""                   # the acknowledgment, verbatim
#   truncated: true            # only when the source's text stops partway
sources:                       # where the values above were read; other files name these ids
  - id: ""                     # e.g. pubmed
    name: ""                   # what the source is, e.g. PubMed record PMID 20571772
    url: ""                    # its full https:// address
    # accessed: ""             # when it was read, YYYY-MM-DD
    # used_for: ""             # which values were taken from it
'''

ABSTRACT = '''\
# yaml-language-server: $schema=../../schema/abstract.schema.json
# The abstract verbatim, as the source gives it. Delete this file if there is no abstract.
sources: [""]                  # ids from article.yaml `sources`, e.g. ["pubmed"]
# note: ""                     # anything a reader should know about the text
sections:                      # one section for a plain abstract; one per label for a structured one
  - text: ""                   # the text, verbatim
    # label: ""                # the section's label in a structured abstract, e.g. METHODS
'''

ERRATUM = '''\
# yaml-language-server: $schema=../../schema/erratum.schema.json
# Correction notices published for the review. Delete this file if there is none.
errata:                        # one entry per notice
  - citation: ""               # the notice's citation as the source writes it, e.g. Osteoporos Int. 2011 Feb;22(2):739
    # kind: "erratum"          # erratum (default), retraction, expression-of-concern or update
    # title: ""                # the notice's title
    # doi: ""                  # the notice's own DOI
    # pmid: ""                 # the notice's own PMID
    # note: ""
    sources: [""]              # ids from article.yaml `sources`
'''

REFERENCES = '''\
# yaml-language-server: $schema=../../schema/references.schema.json
# The works the review cites, in the article's order. Faster than typing:
# `python build_site.py import cited.nbib --review {id} --references` appends an export of them.
complete: ""                   # true when every reference of the article is listed, else false
# note: ""                     # e.g. which part of the list is recorded
references:                    # one entry per cited work
  - citation: ""               # PubMed style: Journal. Year Mon Day;Vol(Issue):Pages
    # id: ""                   # a short id, if the summary refers to this work
    # title: ""
    # authors: []              # names exactly as the source writes them
    # group_author: ""         # a group author, e.g. ATTRACT Study Group
    # journal: ""              # e.g. Immunol Lett
    # year: ""                 # four digits
    # published: ""            # the date as the citation gives it: YYYY, YYYY-MM or YYYY-MM-DD
    # volume: ""
    # issue: ""
    # pages: ""
    # doi: ""
    # pmid: ""
    # pmcid: ""
    # note: ""
    # notices:                 # notices about the cited work, e.g. its retraction (`verify --write` adds them)
    #   - kind: "retraction"   # retraction, expression-of-concern, erratum or update
    #     citation: ""         # the notice as the source cites it; also doi: "" and pmid: "" where known
    #     sources: [""]
    sources: [""]              # ids from article.yaml `sources`
'''

SUMMARY = '''\
# yaml-language-server: $schema=../../schema/summary.schema.json
# Your own summary of the review, signed and dated. The page shows it above the abstract as
# "Summary by NAMES, DATE", kept apart from the authors' words. Write it only once someone has read
# the article; every key point names what supports it. Fill in every "" below, then run
# `python build_site.py check`. Delete this file to show the review without a summary.
bottom_line: ""                # one sentence a reader should take away; the lists of reviews show it too
key_points:                    # short statements in your words, each with what supports it
  - text: ""                   # one point, in plain text
    supported_by:              # one or more entries, each naming one thing:
      - abstract: ""           # a section of abstract.yaml by number (2), or one sentence of it (2.3)
      # - reference: ""        # a cited work: its number in references.yaml (4) or its id
      # - erratum: ""          # a correction notice: its number in erratum.yaml (1)
# plain_language:              # paragraphs for readers without medical training, one entry each
#   - ""
written_by:                    # who wrote the summary
  - name: ""                   # as they sign, e.g. Ann Example
    # orcid: ""                # NNNN-NNNN-NNNN-NNNC
written: ""                    # the day it was written, YYYY-MM-DD
# reviewed: ""                 # the day a second person checked it, YYYY-MM-DD; leave out until then
# reviewed_by:                 # who checked it (needs `reviewed`)
#   - name: ""
competing_interests: ""        # the writers' competing interests, or exactly: none declared
source_version:                # the version of the source the summary was written against
  source: ""                   # an id from article.yaml `sources`, e.g. pubmed
  date: ""                     # that version's date: the PubMed record's revision date, or the day it was read
'''

TEMPLATES = {"article.yaml": ARTICLE, "abstract.yaml": ABSTRACT, "erratum.yaml": ERRATUM,
             "references.yaml": REFERENCES, "summary.yaml": SUMMARY}
# The maintainers' own writing, not a source's: `new` starts it only when asked (`--summary`).
ON_REQUEST = frozenset({"summary.yaml"})


class ReviewExists(SiteError):
    """`new` never writes over a review that is already there."""


def scaffold_review(records_dir: Path, review_id: str) -> list[Path]:
    """Create records/<review_id>/ with every record file; returns the files written."""
    message = ids.check_review_id(review_id)
    if message:
        raise SiteError(f"'{review_id}' cannot be a review id: {message}")
    folder = records_dir / review_id
    if folder.exists():
        raise ReviewExists(f"{folder} already exists; `new` only starts a review that is not there yet")
    folder.mkdir(parents=True)
    written = []
    for name, template in TEMPLATES.items():
        if name in ON_REQUEST:
            continue
        path = folder / name
        path.write_text(template.replace("{id}", review_id), encoding="utf-8")
        written.append(path)
    return written


def add_summary(records_dir: Path, review_id: str) -> Path:
    """Add summary.yaml, every field explained and every value empty, to an existing review folder."""
    folder = records_dir / review_id
    path = folder / "summary.yaml"
    if not folder.is_dir():
        raise SiteError(f"{folder} does not exist; start the review with `new {review_id}` first")
    if path.exists():
        raise ReviewExists(f"{path} already exists; `new --summary` never writes over a summary")
    path.write_text(SUMMARY, encoding="utf-8")
    return path
