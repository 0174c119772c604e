"""Shell completion on click's own machinery: the scripts, and the ids offered.

The shell's script runs `afterview` with `_AFTERVIEW_COMPLETE=bash_complete` (or
`zsh_complete`, `fish_complete`) and the words typed; `cli/main.py` sends that to
`run()` before the agenda's quick path, which loads only the typed command's modules
and lets click find the parameter being completed. The id arguments name one of the
completers of `cli/id_completion.py`.

Two scripts differ from click's: bash's keeps the part of an action id before a colon
(bash splits words at `:`, so `done thank_you:3:<TAB>` would offer nothing), and fish's
keeps a help text with a comma whole.
"""

from __future__ import annotations

import os

import click
from click.shell_completion import (
    BashComplete,
    CompletionItem,
    FishComplete,
    add_completion_class,
    shell_complete,
    split_arg_string,
)

#: The variable click reads the completion instruction from.
COMPLETE_VAR = "_AFTERVIEW_COMPLETE"
PROG = "afterview"
SHELLS = ("bash", "zsh", "fish")

_BASH = """\
# afterview's completion for bash (afterview completion show bash)
%(complete_func)s() {
    local IFS=$'\\n'
    local response
    response=$(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD=$COMP_CWORD \\
COMP_LINE="${COMP_LINE:0:COMP_POINT}" COMP_CUR="${COMP_WORDS[COMP_CWORD]}" \\
%(complete_var)s=bash_complete "$1" 2>/dev/null)

    for completion in $response; do
        IFS=',' read type value <<< "$completion"

        if [[ $type == 'dir' ]]; then
            COMPREPLY=()
            compopt -o dirnames
        elif [[ $type == 'file' ]]; then
            COMPREPLY=()
            compopt -o default
        elif [[ $type == 'plain' ]]; then
            COMPREPLY+=("$value")
        fi
    done

    return 0
}

complete -o nosort -F %(complete_func)s %(prog_name)s 2>/dev/null \\
    || complete -F %(complete_func)s %(prog_name)s
"""

_FISH = """\
# afterview's completion for fish (afterview completion show fish)
function %(complete_func)s;
    set -l response (env %(complete_var)s=fish_complete COMP_WORDS=(commandline -cp) \\
COMP_CWORD=(commandline -t) %(prog_name)s 2>/dev/null);

    for completion in $response;
        set -l metadata (string split -m 1 "," -- $completion);

        if test "$metadata[1]" = "dir";
            __fish_complete_directories $metadata[2];
        else if test "$metadata[1]" = "file";
            __fish_complete_path $metadata[2];
        else if test "$metadata[1]" = "plain";
            echo $metadata[2];
        end;
    end;
end;

complete --no-files --command %(prog_name)s --arguments "(%(complete_func)s)";
"""


class Bash(BashComplete):
    """Bash, given the line up to the cursor: an id with colons completes whole."""

    source_template = _BASH

    def source(self) -> str:
        """The script (no version check: it falls back for a bash without `nosort`)."""
        return self.source_template % self.source_vars()

    def get_completion_args(self) -> tuple[list[str], str]:
        """The words before the cursor and the one being typed, read from the line when
        the script gives it (bash's own words are cut at every `:`)."""
        line = os.environ.get("COMP_LINE")
        if line is None:
            return super().get_completion_args()
        words = split_arg_string(line)
        if not line or line[-1].isspace() or len(words) < 2:
            return words[1:], ""
        return words[1:-1], words[-1]

    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        """The completions, each cut to what replaces bash's own current word."""
        items = super().get_completions(args, incomplete)
        cur = os.environ.get("COMP_CUR")
        if cur is None or not incomplete.endswith(cur) or cur == incomplete:
            return items
        cut = len(incomplete) - len(cur)
        return [
            CompletionItem(i.value[cut:], type=i.type, help=i.help)
            if i.type == "plain" and str(i.value).startswith(incomplete[:cut])
            else i
            for i in items
        ]


class Fish(FishComplete):
    """Fish, with a help text that may hold a comma."""

    source_template = _FISH


def register() -> None:
    """Use these classes for the `bash` and `fish` instructions."""
    add_completion_class(Bash, "bash")
    add_completion_class(Fish, "fish")


def script(shell: str) -> str:
    """The completion script for `shell` (one of `SHELLS`)."""
    from afterview.cli.app import cli

    register()
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    if cls is None or shell not in SHELLS:
        raise ValueError(f"shell: expected one of {', '.join(SHELLS)}")
    return cls(cli, {}, PROG, COMPLETE_VAR).source()


def run(instruction: str) -> int:
    """Answer the shell's request (`bash_complete`, `zsh_source`, …): load the typed
    command's modules only, let click complete; never a traceback or a message."""
    from afterview.cli.main import command_words, load_cli

    try:
        register()
        from click.shell_completion import get_completion_class

        shell = instruction.partition("_")[0]
        cls = get_completion_class(shell)
        if cls is None:
            return 1
        if instruction.endswith("_complete"):
            words = cls(click.Group(), {}, PROG, COMPLETE_VAR).get_completion_args()[0]
            cli = load_cli(*command_words(words))
        else:  # the script: no command needed
            from afterview.cli.app import cli
        return shell_complete(cli, {}, PROG, COMPLETE_VAR, instruction)
    except Exception:
        return 1
