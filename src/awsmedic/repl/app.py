"""The interactive assistant: a prompt that takes a pasted error and walks to the cause.

`build_session` makes the prompt (key bindings, completion, toolbar, history); `Repl` runs the
loop: prompt, `handle_line`, perform. The case itself (probes, questions, commands) is
`case.Case`. botocore is first imported by the probes after a paste, never before the prompt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from awsmedic import __version__
from awsmedic.context import Context
from awsmedic.errors import AwsMedicError
from awsmedic.repl.case import Case
from awsmedic.repl.commands import Command, help_text, make_completer, parse
from awsmedic.repl.handler import Choose, Nothing, Paste, Run, Say, handle_line, pick
from awsmedic.repl.history import make_history, pastes_wanted
from awsmedic.repl.keys import repl_key_bindings
from awsmedic.repl.status import StepRunner
from awsmedic.repl.view import LazyConsole, ReplPrinter
from awsmedic.safety.redact import SecretBook

log = logging.getLogger(__name__)

BANNER = (
    f"awsmedic {__version__}: paste an AWS error and press Enter (Esc-Enter adds a line).\n"
    "/help lists the commands; Ctrl-D quits."
)
PROMPT = "› "
#: Seconds after the first prompt appears before the knowledge base loads in the background.
WARM_UP_DELAY = 0.1
PLACEHOLDER = "paste an AWS error here, or type /help"
STYLE = {
    "bottom-toolbar": "noreverse bg:#303030 #d0d0d0",
    "placeholder": "#808080",
    "hint": "#808080",
    "prompt": "bold",
}


def dumb_terminal(ctx: Context) -> bool:
    return (ctx.env("TERM") or "").lower() in ("dumb", "unknown")


def build_session(
    ctx: Context,
    input: Any = None,
    output: Any = None,
    *,
    choices: Callable[[], tuple[str, ...]] = tuple,
    on_paste: Callable[[], None] = lambda: None,
    toolbar: Callable[[int], str] | None = None,
    history: Any = None,
) -> Any:
    """The prompt. `choices` gives the open question's choices (number keys, completion);
    `on_paste` hears of each bracketed paste."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.application import get_app
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.styles import Style

    def bottom_toolbar() -> str | None:
        return toolbar(get_app().output.get_size().columns) if toolbar else None

    return PromptSession(
        multiline=True,
        key_bindings=repl_key_bindings(choices, on_paste),
        completer=make_completer(choices),
        complete_while_typing=False,
        reserve_space_for_menu=6,
        history=history if history is not None else InMemoryHistory(),
        bottom_toolbar=bottom_toolbar if toolbar else None,
        style=Style.from_dict(STYLE),
        include_default_pygments_style=False,
        erase_when_done=not dumb_terminal(ctx),
        prompt_continuation=lambda width, line, wrap: " " * width,
        enable_history_search=False,
        input=input,
        output=output,
    )


class Repl:
    def __init__(
        self, ctx: Context, book: SecretBook, console: Any, input: Any = None, output: Any = None
    ) -> None:
        self.ctx = ctx
        self.book = book
        self.printer = ReplPrinter(console, book)
        #: Whether the line being read came (at least partly) from a bracketed paste.
        self.pasted = False
        self.session = build_session(
            ctx,
            input,
            output,
            choices=self.choices,
            on_paste=self._heard_paste,
            # prompt_toolkit draws it, not rich: the same filter as everything else on screen.
            toolbar=lambda width: book.shown(self.case.toolbar.line(width)),
            history=make_history(ctx, self.remember, book.scrub),
        )
        runner = StepRunner(
            self.printer.event,
            lambda: self.case.status(),
            app_input=self.session.app.input,
            app_output=self.session.app.output,
            spinner=not dumb_terminal(ctx),
        )
        self.case = Case(ctx, book, self.printer, runner)

    def choices(self) -> tuple[str, ...]:
        return self.case.ask.question.choices if self.case.ask else ()

    def _heard_paste(self) -> None:
        self.pasted = True

    def remember(self, line: str) -> bool:
        """What the history file may keep: commands and answers; pasted text only if asked."""
        if parse(line) is not None:
            return True
        if self.case.ask is not None and pick(self.case.ask.question.choices, line):
            return True
        return pastes_wanted(self.ctx)

    def _warm(self) -> None:
        """Once the prompt is drawn, load the knowledge base while the user pastes."""
        import asyncio

        asyncio.get_running_loop().call_later(WARM_UP_DELAY, self.case.knowledge.start)

    def prompt(self) -> str:
        self.pasted = False
        ask = self.case.ask
        if ask is None:
            return str(self.session.prompt(PROMPT, placeholder=PLACEHOLDER, pre_run=self._warm))
        count = len(ask.question.choices)
        return str(
            self.session.prompt(
                f"answer [1-{count}]{PROMPT}", placeholder="", complete_while_typing=True
            )
        )

    def loop(self) -> int:
        print(BANNER, file=self.ctx.stdout, flush=True)  # plain print: rich is not loaded yet
        while True:
            try:
                line = self.prompt()
            except KeyboardInterrupt:
                self.case.interrupt()
                continue
            except EOFError:
                return 0
            if line.strip() and not dumb_terminal(self.ctx):
                self.printer.echo(line)  # the prompt erased itself: show what was sent, scrubbed
            try:
                if not self.perform(
                    handle_line(line, self.case.ask.question if self.case.ask else None)
                ):
                    return 0
            except KeyboardInterrupt:
                self.case.forget()
                self.printer.say("Cancelled.", "yellow")
            except AwsMedicError as exc:
                self.printer.say(f"awsmedic: {exc}", "yellow")
            except Exception as exc:  # a bug in one case must not end the session
                log.debug("internal error", exc_info=True)
                self.case.forget()
                self.printer.say(
                    f"awsmedic: internal error: {type(exc).__name__}: {exc} (run with --debug "
                    "for details, and please report it). Paste the error again or /quit.",
                    "yellow",
                )

    def perform(self, action: Any) -> bool:
        """Do what a line asked; False ends the REPL."""
        if isinstance(action, Paste):
            self.case.paste(action.text, typed=not self.pasted)
        elif isinstance(action, Choose):
            self.case.answer(action.answer)
        elif isinstance(action, Say):
            self.printer.say(action.message)
        elif isinstance(action, Run):
            return self.command(action.command)
        else:
            assert isinstance(action, Nothing)
        return True

    def command(self, command: Command) -> bool:
        name = command.name
        if name == "/quit":
            return False
        if name == "/help":
            self.printer.say(help_text())
        elif name == "/why":
            self.case.why()
        elif name == "/back":
            self.case.back()
        elif name == "/check":
            self.case.check()
        elif name == "/probes":
            self.case.probes()
        elif name == "/export":
            self.case.export(command.args)
        elif name == "/restart":
            self.case.restart()
            self.printer.say("Starting over: paste the error.")
        return True


def repl_console(ctx: Context) -> LazyConsole:
    """The terminal's console, made on first use; plain text under NO_COLOR or TERM=dumb."""
    from awsmedic.output.render import make_console

    # Without COLUMNS and LINES, rich follows the window as it is resized; with them it would
    # keep that width forever.
    environ = {k: v for k, v in ctx.environ.items() if k not in ("COLUMNS", "LINES")}
    return LazyConsole(lambda: make_console(ctx.stdout, no_color=ctx.no_color, environ=environ))


def run_repl(ctx: Context, book: SecretBook) -> int:
    return Repl(ctx, book, repl_console(ctx)).loop()
