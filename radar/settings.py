"""Every setting declared once: a dataclass field whose annotation is its type and whose
``setting(...)`` gives its key in feeds.yaml, default, bounds and help.

The environment variable, the check made when the file is read and the README's table are all
derived from these declarations, so none of them can drift from the others. Values built in
code (tests, benchmarks) are not checked: the bounds guard what people type.

Pydantic checks what people type, but every command reads the settings and most values in a
feeds.yaml are plain numbers, flags and names: those are checked here directly (the same
result pydantic gives), and pydantic is imported only for the rest, or to word an error.
Importing it and building its validators took about 0.1 s of a `radar feeds` start-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from radar.records import FeedSpec

DEFAULT_USER_AGENT = "TrendRadar/0.1 (+https://github.com/trend-radar/trend-radar; feed reader)"
INTERVAL_MINUTES = (5, 30 * 24 * 60)  # a feed's poll interval: 5 minutes to 30 days
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None
    return name


def parse_recipients(text: Any) -> tuple[tuple[str, str], ...]:
    """Read 'addr:lang,addr:lang' (lang defaults to ja); one text so it fits one variable."""
    if not isinstance(text, str):
        raise ValueError("expected text like a@city.jp:ja,b@x.org:en")
    found = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        address, _, lang = part.partition(":")
        if "@" not in address or any(c in address for c in "\r\n <>"):
            raise ValueError(f"{address!r} is not an email address")
        if lang and lang not in ("ja", "en"):
            raise ValueError(f"language {lang!r} must be ja or en")
        found.append((address, lang or "ja"))
    return tuple(found)


@dataclass(frozen=True)
class Also:
    """A check or conversion added to a type: after its own validation, or ``before`` it.

    Pydantic's ``AfterValidator``/``BeforeValidator``, declared without importing pydantic.
    """

    fn: Callable[[Any], Any]
    before: bool = False


TimeZoneName = Annotated[str, Also(_known_zone)]
Recipients = Annotated[tuple[tuple[str, str], ...], Also(parse_recipients, before=True)]
OptionalPath = Annotated[Path | None, Also(lambda value: value or None, before=True)]
BaseUrl = Annotated[str, Also(lambda url: url.rstrip("/"))]


@dataclass(frozen=True)
class Setting:
    """How one field is configured; ``kind`` and ``default`` are filled from the field itself."""

    key: str  # section.name under `settings:` in feeds.yaml
    help: str
    bounds: tuple[float, float] | None = None  # lowest and highest value accepted
    secret: bool = False  # environment only: a file is too easily shared
    alias: str | None = None  # an older environment variable, which wins
    kind: Any = None
    default: Any = None

    @property
    def env(self) -> str:
        return "RADAR_" + self.key.replace(".", "_").upper()

    def check(self, value: Any) -> Any:
        """The value as its type, or ValueError saying in one line what is allowed."""
        plain = _plain_check(self.kind, self.bounds, value)
        if plain is not _UNSURE:
            return plain
        from pydantic import ValidationError  # only here: see the module's docstring

        try:
            return _adapter(self.kind, self.bounds).validate_python(value)
        except ValidationError as exc:
            error = exc.errors()[0]
            text = str(error["ctx"]["error"]) if error["type"] == "value_error" else error["msg"]
            raise ValueError(text[:1].lower() + text[1:]) from None


_UNSURE = object()
_PLAIN = {int: (int,), str: (str,), bool: (bool,), float: (int, float), Path: (str,)}


def _plain_check(kind: Any, bounds: tuple[float, float] | None, value: Any) -> Any:
    """``value`` as ``kind`` when it plainly is one, within bounds; else ``_UNSURE``.

    Plainly: a YAML int for an int, a number for a float, text for a name or a path, a bool
    for a flag; an ``Also`` check after the type is run too. Anything else, a refusal
    included, is left to pydantic, so what is accepted and how a refusal reads stay its own.
    """
    extra: tuple[Any, ...] = ()
    if get_origin(kind) is Annotated:
        kind, *metadata = get_args(kind)
        extra = tuple(metadata)
        if not all(isinstance(also, Also) and not also.before for also in extra):
            return _UNSURE
    if type(value) not in _PLAIN.get(kind, ()) or (kind is Path and not value):
        return _UNSURE
    result = kind(value)
    if bounds is not None and not bounds[0] <= result <= bounds[1]:
        return _UNSURE
    try:
        for also in extra:
            result = also.fn(result)
    except ValueError:
        return _UNSURE
    return result


@cache
def _adapter(kind: Any, bounds: tuple[float, float] | None) -> Any:
    """Pydantic's validator for ``kind`` within ``bounds``, ``Also`` checks included."""
    from pydantic import AfterValidator, BeforeValidator, Field, TypeAdapter  # see docstring

    low, high = bounds or (None, None)
    if get_origin(kind) is Annotated:
        base, *metadata = get_args(kind)
        checks = [
            (BeforeValidator if also.before else AfterValidator)(also.fn)
            if isinstance(also, Also) else also
            for also in metadata
        ]  # fmt: skip
        kind = Annotated[(base, *checks)]
    return TypeAdapter(Annotated[kind, Field(ge=low, le=high)])


def setting(key: str, default: Any, help: str, bounds: Any = None, **options: Any) -> Any:
    """A dataclass field carrying its configuration (see ``Setting``)."""
    meta = Setting(key, help, bounds, **options)
    return field(default=default, repr=not meta.secret, metadata={"setting": meta})


SECONDS = (0.1, 600)  # network timeouts


@dataclass(frozen=True)
class HttpSettings:
    """Limits for the fetcher; named so tests and benchmarks can tighten them."""

    timeout: float = setting("http.timeout", 20.0, "read timeout per request, seconds", SECONDS)
    connect_timeout: float = setting(
        "http.connect_timeout", 10.0, "connect timeout, seconds", SECONDS
    )
    max_body_bytes: int = setting(
        "http.max_body_bytes", 10 * 2**20, "largest feed body accepted, bytes", (2**10, 2**30)
    )
    concurrency: int = setting("http.concurrency", 16, "feeds fetched at once", (1, 1000))
    per_host: int = setting("http.per_host", 2, "concurrent requests to one host", (1, 100))
    user_agent: str = setting(
        "http.user_agent", DEFAULT_USER_AGENT, "User-Agent sent with every request"
    )
    allow_private: bool = setting(
        "http.allow_private", False, "allow loopback/private feed addresses"
    )
    max_backoff_minutes: int = setting(
        "http.max_backoff_minutes", 1440, "longest wait after repeated errors, minutes", (1, 43200)
    )


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how the digest is sent; the password only ever comes from the environment."""

    host: str = setting("smtp.host", "", "SMTP server for the weekly digest (empty: sending off)")
    port: int = setting("smtp.port", 587, "SMTP port", (1, 65535))
    security: Literal["starttls", "ssl", "none"] = setting(
        "smtp.security", "starttls", "how the connection is encrypted"
    )
    user: str = setting("smtp.user", "", "SMTP user name (empty: no login)")
    password: str = setting("smtp.password", "", "SMTP password", secret=True)
    from_addr: str = setting("smtp.from_addr", "trend-radar@localhost", "sender address")
    recipients: Recipients = setting(
        "smtp.recipients", (), "`addr:lang,addr:lang` (lang `ja` or `en`, default `ja`)"
    )
    retries: int = setting(
        "smtp.retries", 3, "attempts per message (with backoff) in one run", (1, 20)
    )
    timeout: float = setting("smtp.timeout", 20.0, "SMTP timeout, seconds", SECONDS)


def _month(text: str) -> str:
    """A month as ``YYYY-MM`` (collectors start their back-fill there)."""
    if not re.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])", text):
        raise ValueError(f"expected a month like 2015-07, not {text!r}")
    return text


MonthText = Annotated[str, Also(_month)]


@dataclass(frozen=True)
class SeriesSettings:
    """Where the public-series collectors ask, and the keys that raise their quotas.

    Base addresses are settings so tests and benchmarks point them at a local server; the
    pause between two requests to one API (``min_interval``) is not a setting, because it is
    the provider's rule, not a preference (see each collector's README entry).
    """

    collect: bool = setting(
        "series.collect", True, "collect public series (`radar series update`, monthly job)"
    )
    since: MonthText = setting(
        "series.since", "2015-07", "first month a back-fill asks for (`YYYY-MM`)"
    )
    stackexchange_key: str = setting(
        "series.stackexchange_key", "",
        "Stack Exchange app key: 10,000 requests a day instead of 300", secret=True,
    )  # fmt: skip
    qiita_token: str = setting(
        "series.qiita_token", "", "Qiita access token: 1,000 requests an hour instead of 60",
        secret=True,
    )  # fmt: skip
    wikimedia_url: BaseUrl = setting(
        "series.wikimedia_url", "https://wikimedia.org/api/rest_v1", "Wikimedia REST API base"
    )
    hn_url: BaseUrl = setting(
        "series.hn_url", "https://hn.algolia.com/api/v1", "Hacker News (Algolia) API base"
    )
    stackexchange_url: BaseUrl = setting(
        "series.stackexchange_url", "https://api.stackexchange.com/2.3", "Stack Exchange API base"
    )
    npm_url: BaseUrl = setting(
        "series.npm_url", "https://api.npmjs.org", "npm download counts API base"
    )
    qiita_url: BaseUrl = setting("series.qiita_url", "https://qiita.com/api/v2", "Qiita API base")
    gdelt_url: BaseUrl = setting(
        "series.gdelt_url", "https://api.gdeltproject.org/api/v2", "GDELT DOC 2.0 API base"
    )
    # seconds between two requests to one API; None keeps each collector's documented pause
    min_interval: float | None = None
    # the longest Retry-After (or backoff) waited for in a run; longer, and the source pauses
    max_wait_seconds: float = 120.0
    # the first wait after a 429/5xx that names none (then doubled per retry)
    backoff_seconds: float = 2.0


@dataclass(frozen=True)
class Settings:
    """Everything the service needs, read once and never mutated."""

    db_path: Path = setting(
        "store.path", Path("data/radar.db"), "SQLite database file", alias="RADAR_DB"
    )
    timezone: TimeZoneName = setting(
        "general.timezone", "Asia/Tokyo", "time zone for weeks and schedules"
    )
    http: HttpSettings = field(default_factory=HttpSettings)
    taxonomy_path: OptionalPath = setting(
        "classify.taxonomy",
        None,
        "a taxonomy replacing the shipped `taxonomy.yaml` (empty: the shipped one); staff "
        "additions go to `staff/` beside the store",
    )
    topic_terms_path: OptionalPath = setting(
        "classify.topic_terms",
        None,
        "topic terms replacing the shipped ones (empty: `topic_terms.yaml` beside the taxonomy,"
        " else the shipped file); a path that does not exist is logged and skipped",
    )
    seed_examples_path: OptionalPath = setting(
        "classify.seed_examples",
        None,
        "seed examples replacing the shipped ones (empty: `seed_examples.yaml` beside the "
        "taxonomy, else the shipped file); a path that does not exist is logged and skipped",
    )
    models_dir: Path = setting(
        "classify.models_dir", Path("models"), "trained model versions (`models/<version>/`)"
    )
    sentence_model: bool = setting(
        "classify.sentence_model",
        True,
        "also train the models that read each title's meaning: more accurate, but first "
        "scoring runs at about 70 items/s (e5) or 1,000 (USE) instead of 10,000. It applies "
        "from the next promoted `radar train`; to switch a model trained the other way, "
        "`radar train --force`",
    )
    relevance_encoder: Literal["e5", "use"] = setting(
        "classify.relevance_encoder",
        "e5",
        "the sentence encoder relevance reads beside USE: `e5` (multilingual-e5-small, the "
        "more accurate on held-out labels) or `use` (USE alone, 15 to 40 times faster first "
        'scoring: bulk archive imports); README "Models" has the trade-off table. Applies '
        "like `classify.sentence_model`",
    )
    retrain_after_tags: int = setting(
        "classify.retrain_after_tags",
        20,
        "retrain on its own after staff have tagged this many items since the last training "
        "(0: only weekly and on request); promoted only if not worse, like `radar train`",
        (0, 100_000),
    )
    base_url: BaseUrl = setting(
        "app.base_url", "http://localhost:8501", "links in the digest point here"
    )
    session_hours: int = setting(
        "app.session_hours",
        12,
        "hours a staff sign-in lasts in a browser (reloads, links)",
        (1, 24 * 30),
    )
    app_secret: str = setting(
        "app.secret",
        "",
        "key that signs sign-in cookies (empty: made once, kept in `app-secret` beside the store)",
        secret=True,
    )
    oidc_issuer: str = setting(
        "app.oidc_issuer", "", "OpenID Connect issuer URL for single sign-on (empty: off)"
    )
    oidc_client_id: str = setting("app.oidc_client_id", "", "client id at the identity provider")
    oidc_client_secret: str = setting(
        "app.oidc_client_secret", "", "client secret at the identity provider", secret=True
    )
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    series: SeriesSettings = field(default_factory=SeriesSettings)
    digest_day: Weekday = setting("digest.day", "mon", "weekday the scheduler sends the digest")
    digest_hour: int = setting("digest.hour", 8, "hour (local time) the digest is sent", (0, 23))
    fetch_minutes: int = setting(
        "schedule.fetch_minutes", 15, "minutes between looks for due feeds", (1, 1440)
    )
    default_interval: int = setting(
        "schedule.default_interval", 60, "minutes between polls of a feed", INTERVAL_MINUTES
    )
    misfire_grace_seconds: int = setting(
        "schedule.misfire_grace_seconds", 300, "seconds a late job may still run", (1, 86400)
    )
    feeds: tuple[FeedSpec, ...] = ()
    source: Path | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def declared(cls: type = Settings) -> Iterator[Setting]:
    """Every setting of ``cls`` and its sections, in declaration order."""
    hints = get_type_hints(cls, include_extras=True)
    for item in fields(cls):
        if is_dataclass(hints[item.name]):
            yield from declared(hints[item.name])
        elif "setting" in item.metadata:
            yield replace(item.metadata["setting"], kind=hints[item.name], default=item.default)


def build(values: dict[str, Any], cls: type = Settings, **extra: Any) -> Any:
    """``cls`` with the given values by key (``http.timeout``); the rest keep their defaults."""
    hints = get_type_hints(cls)
    kwargs = dict(extra)
    for item in fields(cls):
        key = item.metadata["setting"].key if "setting" in item.metadata else None
        if is_dataclass(hints[item.name]):
            kwargs[item.name] = build(values, hints[item.name])
        elif key in values:
            kwargs[item.name] = values[key]
    return cls(**kwargs)
