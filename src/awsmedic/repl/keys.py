"""The REPL's key bindings, made by one factory; each binding's docstring says what it does.

prompt_toolkit's defaults stay for everything else: Tab completes, Up and Down walk the history,
Ctrl-D on an empty line quits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from awsmedic.repl.buffer import clean_paste, submit_filter

#: Number keys pick a choice at once only when every choice has a one-digit number.
MAX_NUMBER_KEYS = 9


def repl_key_bindings(
    choices: Callable[[], tuple[str, ...]], on_paste: Callable[[], None] = lambda: None
) -> Any:
    """Key bindings for the prompt; `choices` gives the open question's choices (or ()), and
    `on_paste` is told of every bracketed paste (a typed line is read differently)."""
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys

    bindings = KeyBindings()
    submits = submit_filter()

    @bindings.add("enter", filter=submits)
    def _submit(event: Any) -> None:
        """Enter sends what is in the buffer: a line typed, or a whole paste."""
        event.current_buffer.validate_and_handle()

    @bindings.add("enter", filter=~submits)
    def _continue(event: Any) -> None:
        """After a trailing backslash, Enter adds a line instead, as in a shell."""
        event.current_buffer.insert_text("\n")

    @bindings.add("escape", "enter")
    def _newline(event: Any) -> None:
        """Esc-Enter (or Alt-Enter, which terminals send as the same keys) adds a line."""
        event.current_buffer.insert_text("\n")

    @bindings.add(Keys.BracketedPaste)
    def _paste(event: Any) -> None:
        """A paste of any size lands whole, cleaned (CRLF, ANSI colours, tabs); Enter sends it."""
        on_paste()
        event.current_buffer.insert_text(clean_paste(event.data))

    @bindings.add("c-c")
    def _interrupt(event: Any) -> None:
        """Ctrl-C clears the line; on an empty line it cancels the current step."""
        buffer = event.current_buffer
        if buffer.text:
            buffer.reset()
        else:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    def picks(digit: int) -> Condition:
        return Condition(lambda: not _buffer_text() and digit <= len(choices()) <= MAX_NUMBER_KEYS)

    for digit in range(1, MAX_NUMBER_KEYS + 1):

        @bindings.add(str(digit), filter=picks(digit))
        def _pick(event: Any) -> None:
            """At a question, a number key picks that choice at once (/back undoes it)."""
            choice = choices()[int(event.data) - 1]
            event.current_buffer.text = choice
            event.current_buffer.validate_and_handle()

    return bindings


def _buffer_text() -> str:
    from prompt_toolkit.application import get_app

    text: str = get_app().current_buffer.text
    return text
