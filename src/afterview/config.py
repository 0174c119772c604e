"""Settings from `config.toml`: timezone, holidays country, the user's name, rubric, playbook."""

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from afterview import paths
from afterview.core.playbook import Playbook, PlaybookError
from afterview.errors import BadInput

DEFAULT_RUBRIC = ("preparation", "answers", "questions_asked", "rapport", "technical")
_TOP_KEYS = {
    "timezone", "country", "subdivision", "me", "playbook", "assess", "notify", "profile", "history"
}  # fmt: skip
#: How long the change journal keeps what each change did (`[history] keep_days`)
DEFAULT_JOURNAL_DAYS = 90
MAX_JOURNAL_DAYS = 3650


class Config(NamedTuple):
    """The user's settings, validated."""

    path: str
    timezone: str | None = None
    country: str | None = None
    subdivision: str | None = None
    my_name: str | None = None
    my_email: str | None = None
    rubric: tuple[str, ...] = DEFAULT_RUBRIC
    playbook: Playbook = Playbook()
    raw: Mapping[str, Any] = MappingProxyType({})
    channels: tuple[str, ...] = ()
    digest_hour: int | None = 8
    quiet_hours: str | None = None
    resume: str | None = None
    linkedin: str | None = None
    journal_days: int = DEFAULT_JOURNAL_DAYS

    @property
    def directory(self) -> str:
        """The folder holding the config file (and the user's `templates/`)."""
        return os.path.dirname(self.path)


def config_path() -> str:
    """Return the config file's path: `AFTERVIEW_CONFIG`, else the platform's config folder."""
    override = paths.env_setting("AFTERVIEW_CONFIG")
    if override is not None:
        return os.path.abspath(os.path.expanduser(override))
    return os.path.join(paths.user_config_dir(), "config.toml")


def load_config(path: str | None = None) -> Config:
    """Read and check the config file; a missing file means every default."""
    path = path or config_path()
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return Config(path=path)
    except OSError as exc:
        raise BadInput("config", f"cannot read {path}: {exc.strerror}") from None
    import tomllib

    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadInput("config", f"{path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput("config", f"{path} is not valid TOML ({exc})") from None
    try:
        return parse_config(raw, path)
    except BadInput as exc:  # a value the file holds: say which file, and its line
        line = line_of(data.decode("utf-8"), exc.field.removeprefix("config "))
        where = f"{path}, line {line}" if line else path
        raise BadInput(exc.field, f"{exc.problem} (in {where})") from None


def line_of(text: str, dotted: str) -> int | None:
    """The line (from 1) where `table.key` (or a top-level `key`) is set, if it is found."""
    table, _, key = dotted.rpartition(".")
    current = ""
    for n, raw_line in enumerate(text.splitlines(), 1):
        line = raw_line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line.strip("[] ")
        elif current == table and line.split("=", 1)[0].strip().strip('"') == key:
            return n
    return None


def _text(raw: dict[str, Any], key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise BadInput(f"config {where}{key}", "expected non-empty text")
    from afterview.textcheck import check_line

    return check_line(value, f"config {where}{key}", limit=1000)


def parse_config(raw: dict[str, Any], path: str) -> Config:
    """Check a parsed TOML document and turn it into a `Config`."""
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise BadInput(
            f"config {unknown[0]}", f"unknown setting; known: {', '.join(sorted(_TOP_KEYS))}"
        )
    tz = _text(raw, "timezone", "")
    if tz is not None:
        from afterview.parsing import check_zone

        check_zone(tz, "config timezone")
    country = _text(raw, "country", "")
    if country is not None and not (country.isalpha() and len(country) in (2, 3)):
        raise BadInput(
            "config country", f"expected an ISO 3166 country code like 'FR', got {country!r}"
        )
    me = raw.get("me", {})
    if not isinstance(me, dict):
        raise BadInput("config me", "expected a table with name and email")
    _known(me, "me", ("email", "name"))
    assess = raw.get("assess", {})
    if not isinstance(assess, dict):
        raise BadInput("config assess", "expected a table with rubric = [...]")
    _known(assess, "assess", ("rubric",))
    rubric = _rubric(assess.get("rubric", list(DEFAULT_RUBRIC)))
    pb_raw = raw.get("playbook", {})
    if not isinstance(pb_raw, dict):
        raise BadInput("config playbook", "expected a table of settings")
    try:
        playbook = Playbook.from_mapping(pb_raw)
    except PlaybookError as exc:  # "playbook.key: problem": named by its key, as the others
        key, _, problem = str(exc).partition(": ")
        raise BadInput(f"config {key}", problem) from None
    channels, digest_hour, quiet = _notify(raw.get("notify", {}))
    resume, linkedin = _profile(raw.get("profile", {}), path)
    return Config(
        path=path,
        channels=channels,
        digest_hour=digest_hour,
        quiet_hours=quiet,
        timezone=tz,
        country=country.upper() if country else None,
        subdivision=_text(raw, "subdivision", ""),
        my_name=_text(me, "name", "me."),
        my_email=_text(me, "email", "me."),
        rubric=tuple(k.strip() for k in rubric),
        playbook=playbook,
        raw=raw,
        resume=resume,
        linkedin=linkedin,
        journal_days=_history(raw.get("history", {})),
    )


def _known(table: dict[str, Any], name: str, keys: tuple[str, ...]) -> None:
    """Refuse a key the table `name` does not have (a typo would else be ignored)."""
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise BadInput(f"config {name}.{unknown[0]}", f"unknown setting; known: {', '.join(keys)}")


#: The longest rubric item name (it labels charts and tables).
MAX_ITEM = 40


def _rubric(rubric: Any) -> list[str]:
    """`[assess] rubric`: distinct item names, each short, printable and without '='."""
    field = "config assess.rubric"
    if not isinstance(rubric, list) or not rubric:
        raise BadInput(field, "expected a non-empty list of item names")
    seen: set[str] = set()
    for item in rubric:
        if not isinstance(item, str) or not item.strip():
            raise BadInput(field, f"expected item names as text, got {item!r}"[:120])
        name = item.strip()
        if "=" in name:
            raise BadInput(
                field, f"{name[:40]!r}: a name cannot contain '=' (it separates name and score)"
            )
        if len(name) > MAX_ITEM or not name.isprintable():
            raise BadInput(
                field, f"{name[:40]!r}: expected at most {MAX_ITEM} printable characters"
            )
        if name.casefold() in seen:
            raise BadInput(field, f"{name!r} is listed twice")
        seen.add(name.casefold())
    return [str(k) for k in rubric]


def _history(raw: Any) -> int:
    """`[history]`: `keep_days`, how long `afterview history` keeps each change (and so
    how far back `undo` reaches); older changes are dropped as new ones are recorded."""
    if not isinstance(raw, dict):
        raise BadInput("config history", "expected a table with keep_days = N")
    unknown = sorted(set(raw) - {"keep_days"})
    if unknown:
        raise BadInput(f"config history.{unknown[0]}", "unknown setting; known: keep_days")
    days = raw.get("keep_days", DEFAULT_JOURNAL_DAYS)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_JOURNAL_DAYS:
        raise BadInput(
            "config history.keep_days", f"expected 1 to {MAX_JOURNAL_DAYS} days, got {days!r}"
        )
    return days


def _profile(raw: Any, path: str) -> tuple[str | None, str | None]:
    """`[profile]`: where the CV (`resume`) and the LinkedIn export (`linkedin`) live; a
    relative path is read from the config file's folder."""
    if not isinstance(raw, dict):
        raise BadInput("config profile", "expected a table with resume and linkedin paths")
    unknown = sorted(set(raw) - {"resume", "linkedin"})
    if unknown:
        raise BadInput(f"config profile.{unknown[0]}", "unknown setting; known: linkedin, resume")
    out = []
    for key in ("resume", "linkedin"):
        value = _text(raw, key, "profile.")
        if value is not None:
            value = os.path.join(os.path.dirname(path), os.path.expanduser(value))
        out.append(value)
    return out[0], out[1]


def _notify(raw: Any) -> tuple[tuple[str, ...], int | None, str | None]:
    """`[notify]`: channels (apprise URLs), digest_hour (0-23, or -1 for none), quiet_hours."""
    if not isinstance(raw, dict):
        raise BadInput("config notify", "expected a table with channels = [...]")
    unknown = sorted(set(raw) - {"channels", "digest_hour", "quiet_hours"})
    if unknown:
        raise BadInput(
            f"config notify.{unknown[0]}",
            "unknown setting; known: channels, digest_hour, quiet_hours",
        )
    channels = raw.get("channels", [])
    if not isinstance(channels, list) or not all(
        isinstance(c, str) and "://" in c for c in channels
    ):
        raise BadInput(
            "config notify.channels", "expected a list of apprise URLs like 'ntfy://topic'"
        )
    from afterview.textcheck import check_line

    for c in channels:
        check_line(c, "config notify.channels", limit=2000)
    hour = raw.get("digest_hour", 8)
    if not isinstance(hour, int) or isinstance(hour, bool) or not -1 <= hour <= 23:
        raise BadInput(
            "config notify.digest_hour", f"expected 0 to 23 (or -1 for no digest), got {hour!r}"
        )
    quiet = raw.get("quiet_hours")
    if quiet is not None:
        from afterview.core.alerts import parse_quiet_hours

        try:
            parse_quiet_hours(str(quiet))
        except ValueError:
            raise BadInput(
                "config notify.quiet_hours", f"expected like '22:00-07:00', got {quiet!r}"
            ) from None
    return tuple(c.strip() for c in channels), (None if hour == -1 else hour), quiet
