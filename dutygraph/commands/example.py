"""``dutygraph example``: the bundled plan, to try every command on.

>>> from click.testing import CliRunner
>>> result = CliRunner().invoke(example_command, [])
>>> result.exit_code, result.output.strip().endswith("anshun_2023.txt")
(0, True)
"""

from __future__ import annotations

from pathlib import Path

import click

from dutygraph.extract.workplan import example_path
from dutygraph.files import write_atomic

__all__ = ["example_command", "register"]


@click.command("example")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write a copy of the bundled plan here (UTF-8 text) instead of printing its path.",
)
def example_command(output: str | None) -> None:
    """Print the path of the bundled example plan (安顺市2023年度未成年人保护工作要点, 23 tasks),
    or copy it to -o PATH to try the other commands on a file of your own.

    Every command that reads plans also takes --example.

    Example: dutygraph example -o plan.txt && dutygraph parse plan.txt
    """
    source = Path(example_path())
    if output is None:
        click.echo(str(source))
        return
    click.echo(str(write_atomic(output, source.read_bytes())))


def register(group: click.Group) -> None:
    """Add ``example`` to the ``dutygraph`` group."""
    group.add_command(example_command)
