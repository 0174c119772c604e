"""`afterview mail login`: sign in with Google or Microsoft (OAuth2) for the mail account."""

from __future__ import annotations

import click

from afterview.cli.app import emit_json, json_option, settings, want_json
from afterview.cli.mail_cmds import mail


@mail.command("login")
@click.option(
    "--no-browser", is_flag=True, help="Only print the sign-in address (Google); open it yourself."
)
@json_option
def mail_login(no_browser: bool, as_json: bool) -> None:
    """Sign in with the OAuth2 provider of `mail setup --auth oauth2` and keep the tokens.

    Microsoft: open the address shown on any device and type the code. Google: a browser
    on this computer opens the sign-in page (the address is printed too). The tokens go
    to the keyring, else the secrets file; they are renewed before each login.
    """
    from afterview.services import mail_login

    quiet = want_json(as_json)

    def say(line: str) -> None:
        click.echo(line, err=quiet)

    def open_url(url: str) -> object:
        import webbrowser

        return webbrowser.open(url)

    done = mail_login.login(settings().context(), say, None if no_browser else open_url)
    if quiet:
        emit_json(done._asdict())
        return
    click.echo(f"Signed in as {done.user} with {done.provider}; the tokens are kept {done.kept}.")
    if not done.renewable:
        click.echo(
            f"{done.provider} gave no refresh token: run `afterview mail login` again when "
            "the sign-in expires (about an hour)."
        )
