"""The command palette's searchnews commands (ctrl+p): every app action, found by fuzzy name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from searchnews.tui.app import SearchNewsApp


class SearchNewsCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("SearchNewsApp", self.app)
        view = "articles" if app.view == "quotes" else "quotes"
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (f"Switch to the {view} view", "Articles or quotes only (ctrl+t)", app.action_toggle_view),
            ("Open the article's URL", "In a web browser", app.action_open_url),
            ("Open the article in the pager", "Suspends the app and runs $PAGER", app.action_open_pager),
            ("Copy the selected quote", "With its speaker, headline and date", app.action_copy_quote),
            ("Update the index", "Re-read the indexed files; index what changed", partial(app.action_index, False)),
            ("Rebuild the index", "Index every indexed file again from scratch", partial(app.action_index, True)),
            ("Reload the index", "Open the index again to see changes on disk (ctrl+r)", app.action_reload),
            ("Narrow quotes to one speaker", "Focus the speaker list (ctrl+s)", app.action_focus_speakers),
            ("Speaker page", "Of the selected speaker or quote (→ in the lists)", app.action_speaker_page),
        ]
        return commands

    async def discover(self) -> Hits:
        for name, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)
