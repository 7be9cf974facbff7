"""`mailwise account add|list|remove`."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import webbrowser
from typing import TYPE_CHECKING

from mailwise_desktop.cli.output import dump
from mailwise_desktop.core.accounts import (
    IMAP_PORTS,
    Account,
    Auth,
    Endpoint,
    OAuthClient,
    Security,
    default_smtp,
)
from mailwise_desktop.core.console import stdin_is_terminal
from mailwise_desktop.core.errors import CancelledError, ExitCode, NotFoundError, UsageError
from mailwise_desktop.core.keychain import require_keychain
from mailwise_desktop.services.accounts import AccountService, AddedAccount
from mailwise_desktop.services.context import AppContext
from mailwise_desktop.signin.providers import endpoints, oauth_client

if TYPE_CHECKING:
    from mailwise_desktop.signin.discovery import Discovery, DiscoverySources


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    account = sub.add_parser("account", help="add, list or remove shared mailbox accounts")
    actions = account.add_subparsers(dest="action", required=True)

    add = actions.add_parser("add", help="add a shared mailbox (checks the login once)")
    add.add_argument("id", help="short name for the account, e.g. support")
    add.add_argument(
        "--host", help="IMAP server host name (not needed with --oauth microsoft|google)"
    )
    add.add_argument("--port", type=int, help="IMAP port (default 993 for tls, 143 otherwise)")
    add.add_argument("--security", choices=[s.value for s in Security], default="tls")
    add.add_argument("--user", help="login name (default with --oauth: the --address)")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (one line; a second line is the "
        "SMTP password when --smtp-user is given)",
    )
    add.add_argument("--ca-file", help="PEM file of a private CA to trust")
    add.add_argument("--pin-sha256", help="trust exactly this certificate (SHA-256 fingerprint)")
    add.add_argument("--address", default="", help="the shared address, e.g. support@example.jp")
    add.add_argument("--smtp-host", help="SMTP submission host (default: the IMAP host)")
    add.add_argument("--smtp-port", type=int, help="SMTP port (default 465 tls, 587 starttls)")
    add.add_argument("--smtp-security", choices=[s.value for s in Security])
    add.add_argument("--smtp-user", help="SMTP login when it differs from the IMAP one")
    add.add_argument("--smtp-ca-file", help="PEM file of the SMTP server's CA (default: --ca-file)")
    add.add_argument("--smtp-pin-sha256", help="trust exactly this SMTP server certificate")
    add.add_argument(
        "--folder", action="append", dest="folders", help="folder to keep offline (repeatable)"
    )
    oauth_options(add)
    add.set_defaults(handler=cmd_add)

    find = actions.add_parser(
        "discover", help="find the IMAP/SMTP settings of an address (autoconfig, SRV, MX)"
    )
    find.add_argument("address")
    find.add_argument("--json", action="store_true")
    find.set_defaults(handler=cmd_discover)

    signin = actions.add_parser(
        "signin", help="sign in again in the browser (an OAuth2 account whose sign-in lapsed)"
    )
    signin.add_argument("id")
    signin.set_defaults(handler=cmd_signin)

    lst = actions.add_parser("list", help="list accounts")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_list)

    remove = actions.add_parser("remove", help="remove an account and its local data")
    remove.add_argument("id")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    remove.set_defaults(handler=cmd_remove)


def oauth_options(add: argparse.ArgumentParser) -> None:
    group = add.add_argument_group("sign in with a browser (OAuth2)")
    group.add_argument(
        "--oauth",
        choices=["microsoft", "google", "custom"],
        help="sign in in the system browser instead of a password (docs/PROVIDERS.md)",
    )
    group.add_argument(
        "--login",
        help="who signs in, when it is not the --address (the delegate of a shared mailbox)",
    )
    group.add_argument("--client-id", help="the app registration's client id (kept for next time)")
    group.add_argument("--tenant", help="Microsoft Entra tenant (domain or id; kept for next time)")
    group.add_argument(
        "--client-secret-stdin",
        action="store_true",
        help="read a Google desktop client's client secret from standard input",
    )
    group.add_argument("--authorize-url", help="--oauth custom: the authorization endpoint")
    group.add_argument("--token-url", help="--oauth custom: the token endpoint")
    group.add_argument("--scope", action="append", help="--oauth custom: a scope (repeatable)")
    group.add_argument(
        "--sasl",
        choices=[Auth.XOAUTH2.value, Auth.OAUTHBEARER.value],
        default=Auth.XOAUTH2.value,
        help="--oauth custom: the SASL mechanism (default xoauth2)",
    )


def open_browser(url: str) -> bool:
    """The system browser, and the address on stderr when there is none."""
    print(
        "Opening your browser to sign in. If it does not open, visit this address:\n" + url,
        file=sys.stderr,
        flush=True,
    )
    return webbrowser.open(url)


def _read_passwords(args: argparse.Namespace) -> tuple[str, str | None]:
    if not args.password_stdin:
        raise UsageError(
            "Give the password on standard input with --password-stdin "
            "(never as an argument: it would show in the process list)."
        )
    lines = sys.stdin.read().splitlines()
    if not lines or not lines[0]:
        raise UsageError("No password was given on standard input.")
    smtp = lines[1] if args.smtp_user and len(lines) > 1 else None
    return lines[0], smtp


def _oauth_account(ctx: AppContext, args: argparse.Namespace) -> Account:
    address = args.address or args.user or ""
    if "@" not in address:
        raise UsageError("Give the mailbox's address with --address (e.g. support@example.co.jp).")
    secret = sys.stdin.readline().strip() if args.client_secret_stdin else None
    login_hint = args.login or address
    if args.oauth == "custom":
        if not (args.host and args.authorize_url and args.token_url and args.client_id):
            raise UsageError(
                "--oauth custom needs --host, --authorize-url, --token-url and --client-id."
            )
        client = OAuthClient(
            provider="custom",
            client_id=args.client_id,
            authorize_url=args.authorize_url,
            token_url=args.token_url,
            scopes=tuple(args.scope or ()),
            client_secret=secret or "",
            login_hint=login_hint,
        )
        auth = Auth(args.sasl)
        security = Security(args.security)
        imap = Endpoint(
            host=args.host,
            port=args.port or IMAP_PORTS[security],
            security=security,
            user=args.user or address,
            ca_file=args.ca_file,
            auth=auth,
        )
        smtp = default_smtp(
            imap,
            host=args.smtp_host,
            port=args.smtp_port,
            security=Security(args.smtp_security) if args.smtp_security else None,
            user=args.smtp_user,
            ca_file=args.smtp_ca_file,
        )
    else:
        client = oauth_client(
            args.oauth,
            ctx.settings.get("oauth_clients"),
            client_id=args.client_id,
            tenant=args.tenant,
            client_secret=secret,
            login_hint=login_hint,
        )
        # A shared mailbox: the shared address is the XOAUTH2 user, the token the delegate's.
        imap, smtp = endpoints(args.oauth, args.user or address)
    return Account(
        id=args.id,
        imap=imap,
        smtp=smtp,
        address=address,
        folders=tuple(args.folders or ["INBOX"]),
        oauth=client,
    )


def cmd_add(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.oauth:
        account = _oauth_account(ctx, args)
        require_keychain()  # before the browser: the tokens could not be kept anywhere
        service = AccountService(ctx)
        tokens = service.sign_in(account.oauth, open_browser)  # type: ignore[arg-type]
        return _report(service.add(account, tokens))
    if not args.host:
        _fill_from_discovery(args)
    if not args.user:
        raise UsageError("Give --user (or sign in with --oauth microsoft|google).")
    password, smtp_password = _read_passwords(args)
    security = Security(args.security)
    pin = args.pin_sha256.replace(":", "").lower() if args.pin_sha256 else None
    imap = Endpoint(
        host=args.host,
        port=args.port or IMAP_PORTS[security],
        security=security,
        user=args.user,
        ca_file=args.ca_file,
        pin_sha256=pin,
    )
    smtp = default_smtp(
        imap,
        host=args.smtp_host,
        port=args.smtp_port,
        security=Security(args.smtp_security) if args.smtp_security else None,
        user=args.smtp_user,
        ca_file=args.smtp_ca_file,
        pin_sha256=args.smtp_pin_sha256.replace(":", "").lower() if args.smtp_pin_sha256 else None,
    )
    account = Account(
        id=args.id,
        imap=imap,
        smtp=smtp,
        address=args.address or (args.user if "@" in args.user else ""),
        folders=tuple(args.folders or ["INBOX"]),
    )
    return _report(AccountService(ctx).add(account, password, smtp_password=smtp_password))


def _report(added: AddedAccount) -> int:
    account = added.account
    for warning in added.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    how = f" (signed in with {account.oauth.provider})" if account.oauth else ""
    print(
        f"Added {account.id}: {account.imap.user} at {account.imap.host}:{account.imap.port}{how}"
    )
    for line in added.capabilities.describe():
        print(f"  {line}")
    for choice in added.modes:
        print(f"Team handling: {choice.explain()}")
    return 0


def discovery_sources() -> DiscoverySources:
    """Where automatic settings are looked up (the real Internet; tests replace it)."""
    from mailwise_desktop.signin.discovery import DiscoverySources  # dnspython: only here

    return DiscoverySources()


def discover(address: str, sources: DiscoverySources) -> Discovery:
    from mailwise_desktop.signin.discovery import discover as look_up

    return look_up(address, sources)


def _fill_from_discovery(args: argparse.Namespace) -> None:
    """Host, port, security and login from the address, when --host is not given."""
    address = args.address or args.user or ""
    if "@" not in address:
        raise UsageError(
            "Give --host, or the mailbox's --address so its settings can be looked up."
        )
    found = discover(address, discovery_sources())
    best = found.best
    if best is None:
        tried = "; ".join(found.tried)
        raise NotFoundError(
            f"No settings for {address} were found ({tried}). Give --host and --user.",
        )
    if best.oauth_provider:
        raise UsageError(
            f"{address} is at {best.title}: sign in with --oauth {best.oauth_provider} "
            "(see docs/PROVIDERS.md for app passwords)."
        )
    print(
        f"Settings found ({best.source}): IMAP {best.imap.host}:{best.imap.port}", file=sys.stderr
    )
    args.host, args.port, args.security = best.imap.host, best.imap.port, best.imap.security.value
    args.user = args.user or best.imap.user
    if best.smtp is not None and not args.smtp_host:
        args.smtp_host, args.smtp_port = best.smtp.host, best.smtp.port
        args.smtp_security = best.smtp.security.value
        if best.smtp.user != args.user and not args.smtp_user:
            args.smtp_user = best.smtp.user


def cmd_discover(ctx: AppContext, args: argparse.Namespace) -> int:
    found = discover(args.address, discovery_sources())
    if args.json:
        dump(
            {
                "address": found.address,
                "found": [dataclasses.asdict(f) for f in found.found],
                "tried": found.tried,
            }
        )
    best = found.best
    if best is None:
        if not args.json:
            print(f"No settings found for {found.address}:")
            for line in found.tried:
                print(f"  {line}")
        return int(ExitCode.NOT_FOUND)
    if not args.json:
        print(f"{found.address}: {best.title or best.imap.host} (from {best.source})")
        print(f"  IMAP {best.imap.host}:{best.imap.port} {best.imap.security.value}")
        if best.smtp is not None:
            print(f"  SMTP {best.smtp.host}:{best.smtp.port} {best.smtp.security.value}")
        print(f"  login {best.imap.user}")
        if best.oauth_provider:
            print(
                f"  sign in: mailwise account add NAME --oauth {best.oauth_provider} "
                f"--address {found.address}"
            )
    return 0


def cmd_signin(ctx: AppContext, args: argparse.Namespace) -> int:
    account = AccountService(ctx).sign_in_again(args.id, open_browser)
    print(f"Signed in again: {account.id} ({account.imap.user}).")
    return 0


def cmd_list(ctx: AppContext, args: argparse.Namespace) -> int:
    accounts = ctx.accounts()
    if args.json:
        dump([a.to_json() for a in accounts])
        return 0
    if not accounts:
        print("No accounts yet. Add one with: mailwise account add NAME --host HOST --user USER")
    for a in accounts:
        how = f"\tsigns in with {a.oauth.provider} ({a.imap.auth})" if a.oauth else ""
        print(
            f"{a.id}\t{a.imap.user}@{a.imap.host}:{a.imap.port} ({a.imap.security})"
            f"\tSMTP {a.smtp.host}:{a.smtp.port} ({a.smtp.security}){how}"
        )
    return 0


def cmd_remove(ctx: AppContext, args: argparse.Namespace) -> int:
    account = ctx.account(args.id)
    if not args.yes:
        if not stdin_is_terminal():
            raise CancelledError("Not removed: confirm with --yes when not running interactively.")
        answer = input(
            f"Remove {account.id} and delete its password, cache, drafts and outbox? [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            raise CancelledError("Not removed.")
    AccountService(ctx).remove(account.id)
    print(f"Removed {account.id}.")
    return 0
