"""Two MkDocs messages that say nothing about this site, filtered out by name and no others.

- "A 'dirty' build is being performed…": `serve` rebuilds only the changed pages on purpose (the hook
  rebuilds every page when the error banner comes or goes, and `--clean` rebuilds all).
- "The following pages exist in the docs directory, but are not included in the "nav" configuration":
  every generated review page is outside the nav by design (the nav stays the same size however many
  reviews there are); at 1000 reviews the list is about 6,000 lines per rebuild. Only the generated
  pages are taken out of it: a hand-written page missing from the nav is still listed.

Each filter sits on the one logger that writes its message, so any other message of that logger, and every
other warning, still shows.
"""

from __future__ import annotations

import logging
from pathlib import PurePosixPath

from ..build.writer import is_owned

DIRTY_LOGGER = "mkdocs.commands.build"
NAV_LOGGER = "mkdocs.structure.nav"
DIRTY = "A 'dirty' build is being performed"
NOT_IN_NAV = 'The following pages exist in the docs directory, but are not included in the "nav" configuration:'


class GeneratedPagesNoise(logging.Filter):
    """Drops the dirty-build warning, and the generated pages from the not-in-nav list."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith(DIRTY):
            return False
        if message.startswith(NOT_IN_NAV):
            listed = [line.strip()[2:] for line in message[len(NOT_IN_NAV):].splitlines() if line.strip()]
            kept = [path for path in listed if not is_owned(PurePosixPath(path.replace("\\", "/")))]
            if not kept:
                return False
            record.msg = NOT_IN_NAV + "\n  - " + "\n  - ".join(kept)
            record.args = ()
        return True


def install() -> None:
    """Put the filter on the two loggers, once however often it is called."""
    for name in (DIRTY_LOGGER, NAV_LOGGER):
        logger = logging.getLogger(name)
        if not any(type(f).__name__ == GeneratedPagesNoise.__name__ for f in logger.filters):
            logger.addFilter(GeneratedPagesNoise())
