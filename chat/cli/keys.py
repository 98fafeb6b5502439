"""``kbchat keys ...``: API keys for scripts and other systems; each acts as a user of its
role, within its collections, until it expires or is revoked."""

from __future__ import annotations

from typing import Annotated

import typer

from chat.accounts.api_keys import key_json, parse_expiry
from chat.accounts.errors import AccountError
from chat.accounts.users import Role
from chat.cli.common import JsonFlag, app_context, emit, fail

keys_app = typer.Typer(help="Manage API keys (the REST API at /api/v1).", no_args_is_help=True)
ACTOR = "kbchat-cli"
"""Who the audit trail says made or revoked a key from the server's own command line."""


@keys_app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What the key is for, e.g. portal or nightly-sync.")],
    role: Annotated[Role, typer.Option("--role", help="staff, clinician or admin.")] = Role.STAFF,
    collections: Annotated[
        list[str] | None,
        typer.Option("--collections", help="Limit the key to these collections (repeat it)."),
    ] = None,
    expires: Annotated[
        str, typer.Option("--expires", help="90d, 12h, 4w, or a date such as 2027-06-30.")
    ] = "",
    as_json: JsonFlag = False,
) -> None:
    """Make a key and print it once (only its hash is kept: copy it now)."""
    wanted = [c.strip() for given in collections or [] for c in given.split(",") if c.strip()]
    try:
        made = app_context(ctx).api_keys.add(
            name, role, actor=ACTOR, collections=wanted, expires_at=parse_expiry(expires)
        )
    except AccountError as error:
        raise fail(str(error)) from None
    if as_json:
        emit({**key_json(made.key), "key": made.secret})
        return
    typer.echo(made.secret)
    limits = ", ".join(made.key.collections) or "every collection its role may read"
    ends = made.key.expires_at.isoformat() if made.key.expires_at else "never"
    typer.echo(f"key {name} ({role}; {limits}; expires {ends}): shown only now", err=True)


@keys_app.command("list")
def list_keys(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List keys: name, role, collections, state, expiry and last use (never the keys)."""
    shown = [key_json(key) for key in app_context(ctx).api_keys.list_keys()]
    if as_json:
        emit(shown)
        return
    for key in shown:
        collections = ",".join(key["collections"]) or "*"  # type: ignore[arg-type]
        typer.echo(
            f"{key['name']:<24} {key['id']}  {key['role']:<10} {key['state']:<8} "
            f"{collections:<24} expires {key['expires_at'] or 'never'}  "
            f"last used {key['last_used_at'] or 'never'}"
        )


@keys_app.command()
def revoke(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The key's name or id.")],
) -> None:
    """Revoke a key: it is refused from its next request on."""
    try:
        key = app_context(ctx).api_keys.revoke(name, actor=ACTOR)
    except AccountError as error:
        raise fail(str(error)) from None
    typer.echo(f"revoked {key.name} ({key.key_id})")
