"""A first REPL: paste an error, answer questions, read the steps, export, quit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from awsmedic.context import Context
from awsmedic.errors import AwsMedicError
from awsmedic.model import Question
from awsmedic.redact import SecretBook
from awsmedic.repl.commands import help_text, parse

BANNER = "awsmedic: paste an AWS error and press Enter. /help for commands, Ctrl-D to quit."


def key_bindings() -> Any:
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("enter")
    def _submit(event: Any) -> None:
        """Enter submits; a bracketed paste arrives whole, newlines included."""
        event.current_buffer.validate_and_handle()

    @bindings.add("escape", "enter")
    def _newline(event: Any) -> None:
        """Esc-Enter (or Alt-Enter) adds a line."""
        event.current_buffer.insert_text("\n")

    return bindings


def build_session(ctx: Context, input: Any = None, output: Any = None) -> Any:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory

    # Pasted errors may hold keys: history stays in memory.
    return PromptSession(
        multiline=True,
        key_bindings=key_bindings(),
        history=InMemoryHistory(),
        input=input,
        output=output,
        prompt_continuation=lambda width, line, wrap: "." * (width - 1) + " ",
    )


class Repl:
    def __init__(self, ctx: Context, book: SecretBook, session: Any, console: Any) -> None:
        from awsmedic.commands import new_transcript
        from awsmedic.kb import knowledge_dirs, load_checked
        from awsmedic.render import Printer

        self.ctx = ctx
        self.book = book
        self.session = session
        self.printer = Printer(console, book)
        self.knowledge = load_checked(knowledge_dirs(ctx.environ))
        self.transcript = new_transcript(ctx)
        self.consultation: Any = None

    def say(self, text: str) -> None:
        self.printer._text(text)

    def answer(self, question: Question) -> str | None:
        from prompt_toolkit.completion import WordCompleter

        self.say(f"\n? {question.text}")
        for number, choice in enumerate(question.choices, 1):
            self.say(f"  {number}. {choice}")
        while True:
            reply: str = self.session.prompt(
                "answer> ", completer=WordCompleter(list(question.choices))
            ).strip()
            if reply.isdigit() and 1 <= int(reply) <= len(question.choices):
                return question.choices[int(reply) - 1]
            if reply in question.choices:
                return reply
            if reply in ("", "/skip"):
                return None
            self.say(
                f"Answer with a number from 1 to {len(question.choices)}, or press Enter to skip."
            )

    def diagnose(self, text: str) -> None:
        from awsmedic.consult import Consultation

        self.consultation = Consultation(
            self.ctx, self.knowledge, self.book, self.transcript, on_event=self.printer.event
        )
        recognition = self.consultation.recognise(text)
        if recognition.best is None:
            self.printer.no_match()
            return
        self.consultation.run(self.answer)

    def export(self, args: tuple[str, ...]) -> None:
        from awsmedic.transcript import export

        if not args:
            self.say("Usage: /export PATH  (the extension picks the format: .md or .json)")
            return
        try:
            fmt = export(self.transcript, self.book, Path(args[0]))
        except AwsMedicError as exc:
            self.say(f"Not exported: {exc}")
            return
        self.say(f"Exported the transcript ({fmt}, redacted) to {args[0]}")

    def handle(self, line: str) -> bool:
        """Handle one submission; False ends the REPL."""
        command = parse(line)
        if command is None:
            if line.strip():
                self.diagnose(line)
            return True
        if command.name == "/quit":
            return False
        if command.name == "/help":
            self.say(help_text())
        elif command.name == "/export":
            self.export(command.args)
        elif command.name == "/restart":
            from awsmedic.commands import new_transcript

            self.transcript = new_transcript(self.ctx)
            self.say("Starting over: paste the error.")
        else:
            self.say(f"Unknown command {command.name}. /help lists them.")
        return True

    def loop(self) -> int:
        self.say(BANNER)
        while True:
            try:
                line = self.session.prompt("> ")
            except KeyboardInterrupt:
                continue
            except EOFError:
                return 0
            if not self.handle(line):
                return 0


def run_repl(ctx: Context, book: SecretBook) -> int:
    from awsmedic.render import make_console

    session = build_session(ctx)
    repl = Repl(ctx, book, session, make_console(ctx.stdout, no_color=ctx.no_color))
    return repl.loop()
