"""`serve`'s quiet log: MkDocs' dirty-build warning and the generated pages in its not-in-nav list are filtered
on their own loggers; a real warning, and a hand-written page missing from the nav, still show."""

from __future__ import annotations

import logging

import pytest

from reviewsite.cli import main
from reviewsite.hooks import quiet


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.messages: list[tuple[str, str]] = []

    def emit(self, record):
        self.messages.append((record.levelname, record.getMessage()))


@pytest.fixture
def collected():
    quiet.install()
    logger = logging.getLogger("mkdocs")
    handler, level = Collect(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.messages
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_the_two_messages_go_and_a_real_warning_on_the_same_loggers_stays(collected):
    build_log, nav_log = logging.getLogger(quiet.DIRTY_LOGGER), logging.getLogger(quiet.NAV_LOGGER)
    build_log.warning("A 'dirty' build is being performed, this will likely lead to inaccurate navigation and "
                      "other links within your site. This option is designed for site development purposes only.")
    nav_log.info(quiet.NOT_IN_NAV + "\n  - reviews/a/index.md\n  - reviews/a/references.md\n  - about.md")
    build_log.warning("Doc file 'extra.md' contains a link 'missing.md', but the target is not found.")
    nav_log.warning("A reference to 'gone.md' is included in the 'nav' configuration, which is not found.")
    nav_log.info(quiet.NOT_IN_NAV + "\n  - reviews/a/index.md\n  - notes.md")
    assert collected == [
        ("WARNING", "Doc file 'extra.md' contains a link 'missing.md', but the target is not found."),
        ("WARNING", "A reference to 'gone.md' is included in the 'nav' configuration, which is not found."),
        ("INFO", quiet.NOT_IN_NAV + "\n  - notes.md"),  # a hand-written page stays listed
    ]


def test_install_twice_filters_once():
    quiet.install()
    quiet.install()
    assert sum(isinstance(f, quiet.GeneratedPagesNoise)
               for f in logging.getLogger(quiet.DIRTY_LOGGER).filters) == 1


def test_a_real_dirty_build_keeps_its_real_warnings(project, request):
    """A MkDocs dirty build of the generated site: no noise, but a broken link in a hand-written page warns."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    assert main(["build"], root=project.root) == 0  # it sets up MkDocs' logging its own way
    collected = request.getfixturevalue("collected")
    (project.docs_dir / "extra.md").write_text("# Extra\n\nSee [a page that is not there](missing.md).\n",
                                               encoding="utf-8")
    collected.clear()
    config = load_config(str(project.config_file), site_dir=str(project.site_dir), strict=False)
    build(config, dirty=True)
    messages = [text for _, text in collected]
    assert not any(quiet.DIRTY in text for text in messages)
    assert not any("reviews/" in text and "nav" in text for text in messages)
    assert any("missing.md" in text and level == "WARNING" for level, text in collected)
    assert quiet.NOT_IN_NAV + "\n  - extra.md" in messages
