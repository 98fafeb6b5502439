"""``kbchat users ...``: who may log in to the web app, and with which role."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from chat.accounts.errors import AccountError
from chat.accounts.users import Role
from chat.cli.common import JsonFlag, app_context, emit, fail
from knowledge import KnowledgeError, StoreUnavailable

users_app = typer.Typer(help="Manage the web app's users.", no_args_is_help=True)


def _read_password() -> str:
    """From a hidden prompt (typed twice) on a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


@users_app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[Role, typer.Option("--role", help="staff, clinician or admin.")] = Role.STAFF,
    keep: Annotated[
        bool,
        typer.Option(
            "--keep-password",
            help="Do not ask the user to replace this password at first login "
            "(for a password the user chose themself).",
        ),
    ] = False,
) -> None:
    """Add a user; the password is read from a prompt, or from stdin when piped. The user
    must replace it at first login, unless --keep-password."""
    try:
        app_context(ctx).accounts.add(name, _read_password(), role, must_change_password=not keep)
    except AccountError as error:
        raise fail(str(error)) from None
    typer.echo(f"added {name} ({role})")


@users_app.command("list")
def list_users(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List users and their roles."""
    users = app_context(ctx).accounts.list_users()
    if as_json:
        emit(
            [
                {
                    "name": u.username,
                    "role": u.role,
                    "disabled": u.disabled,
                    "created_at": u.created_at.isoformat(),
                }
                for u in users
            ]
        )
        return
    for user in users:
        typer.echo(f"{user.username:<32} {user.role:<10} {'disabled' if user.disabled else ''}")


@users_app.command()
def remove(ctx: typer.Context, name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Remove a user (never the last admin): their private uploads and chat threads are
    deleted, their shared QA is kept under '<name> (removed ...)'; a new account with the
    name starts empty."""
    from chat.accounts.offboarding import remove_user

    context = app_context(ctx)
    try:
        kb = context.kb
    except StoreUnavailable as held:
        raise fail(
            f"{held}\nThe running app holds the knowledge base, so {name}'s private uploads "
            f"cannot be removed from here: remove {name} on the admin page "
            "(/kbchat/admin/users), or stop kbchat serve first. Nothing was changed."
        ) from None
    try:
        removal = remove_user(
            name,
            accounts=context.accounts,
            kb=kb,
            sharing=context.sharing,
            actor="cli",
        )
    except (AccountError, KnowledgeError) as error:
        raise fail(str(error)) from None
    typer.echo(removal.summary())


@users_app.command()
def disable(ctx: typer.Context, name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Lock a user out at once: every session ends and logging in is refused."""
    try:
        app_context(ctx).accounts.set_disabled(name, True)
    except AccountError as error:
        raise fail(str(error)) from None
    typer.echo(f"disabled {name}; their sessions have ended")


@users_app.command()
def enable(ctx: typer.Context, name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Let a disabled user log in again (old sessions stay ended)."""
    try:
        app_context(ctx).accounts.set_disabled(name, False)
    except AccountError as error:
        raise fail(str(error)) from None
    typer.echo(f"enabled {name}")


@users_app.command()
def unlock(ctx: typer.Context, name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Lift a lockout after failed logins (it is also lifted on its own after a while)."""
    if app_context(ctx).logins.unlock(name, "cli"):
        typer.echo(f"unlocked {name}")
    else:
        typer.echo(f"{name} had no failed logins to forget")
