"""The CLI's words for errors a service raised with a case (core.errors.ErrorCase).

Services name no command; the CLI says which command helps, in the
console's language (Japanese or English, as ``core/console.py`` decides). An
error without a case, or of a case not listed here, is said as its own text.
"""

from __future__ import annotations

from mailwise_desktop.core.errors import (
    TEAM_OFF_CLAUSES,
    ErrorCase,
    MailwiseError,
    TeamOffReason,
)

#: case -> (English, Japanese); ``{name}`` fields come from the error's data.
WORDS: dict[ErrorCase, tuple[str, str]] = {
    ErrorCase.IDENTITY_MISSING: (
        "Say who you are first: mailwise me ID",
        "先に自分が誰かを設定してください: mailwise me ID",
    ),
    ErrorCase.NOT_ON_ROSTER: (
        "{id!r} is not on the team roster. Add them with: mailwise team add {id} --name NAME",
        "{id!r} はチーム名簿にいません。追加するには: mailwise team add {id} --name 名前",
    ),
    ErrorCase.REMOVED_FROM_ROSTER: (
        "{id} was removed from the roster (see: mailwise team list).",
        "{id} は名簿から外されています（mailwise team list で確認できます）。",
    ),
    ErrorCase.TRANSFER_NEEDS_TARGET: (
        "A transfer needs --to ID.",
        "引き継ぎには --to ID が必要です。",
    ),
    ErrorCase.TARGET_WITHOUT_TRANSFER: (
        "Only transfer takes --to ID.",
        "--to ID を指定できるのは transfer だけです。",
    ),
    ErrorCase.NOT_A_TEAMMATE: (
        "{id!r} is not an active teammate (see: mailwise team list; "
        "add them with: mailwise team add {id} --name NAME).",
        "{id!r} は現在のチームメンバーではありません（一覧: mailwise team list、"
        "追加: mailwise team add {id} --name 名前）。",
    ),
    ErrorCase.MESSAGE_NOT_CACHED: (
        "No message with UID {uid} in {mailbox} (run mailwise sync, or it was moved or deleted).",
        "{mailbox} に UID {uid} のメールがありません（mailwise sync を実行してください。"
        "移動または削除された可能性もあります）。",
    ),
    ErrorCase.NO_SUCH_TEMPLATE: (
        "There is no template named {name!r}. See: mailwise template list",
        "{name!r} という名前のテンプレートはありません。一覧: mailwise template list",
    ),
    ErrorCase.NO_SENDING_ADDRESS: (
        "The account {account} has no sending address; add it again with --address.",
        "アカウント {account} に送信元アドレスがありません。--address を付けて追加し直してください。",
    ),
    ErrorCase.NO_SUCH_TEAMMATE: (
        "There is no teammate {id!r} on the roster. See who is with: mailwise team list",
        "名簿に {id!r} というメンバーはいません。一覧: mailwise team list",
    ),
    ErrorCase.UNKNOWN_TEAMMATES: (
        "Not on the roster: {ids}. See: mailwise team list",
        "名簿にいません: {ids}。一覧: mailwise team list",
    ),
    ErrorCase.NO_APPROVERS: (
        "This mail needs approval, but nobody else on the team may approve it. "
        "Ask an administrator to name approvers (mailwise approvals rules).",
        "このメールには承認が必要ですが、承認できるメンバーがほかにいません。"
        "管理者に承認者を決めてもらってください（mailwise approvals rules）。",
    ),
    ErrorCase.NO_SUCH_APPROVAL: (
        "There is no single approval request {id!r}. See: mailwise approvals",
        "承認依頼 {id!r} を一つに特定できません。一覧: mailwise approvals",
    ),
    ErrorCase.NO_ACCOUNT: (
        "No shared mailbox is set up yet. Add one with: mailwise account add",
        "共有メールボックスがまだ設定されていません。追加するには: mailwise account add",
    ),
    ErrorCase.SEVERAL_ACCOUNTS: (
        "Several accounts are set up ({names}); choose one with --account.",
        "複数のアカウントが設定されています（{names}）。--account で一つを選んでください。",
    ),
    ErrorCase.ACCOUNT_NAME_TAKEN: (
        "This profile has an account named {id!r} already: join under another name (--as NAME).",
        "このプロファイルには {id!r} という名前のアカウントがすでにあります。"
        "別の名前で参加してください（--as 名前）。",
    ),
    ErrorCase.NOT_IN_TRASH: (
        "No such message in {folder} (mailwise trash list shows them).",
        "{folder} にそのメールはありません（mailwise trash list で一覧できます）。",
    ),
    ErrorCase.FOLDER_GONE: (
        "The folder {folder!r} no longer exists on the server (deleted or renamed elsewhere).",
        "フォルダー {folder!r} はサーバーにもうありません（別の場所で削除または名前変更されました）。",
    ),
    # {reasons}: the clauses of TEAM_OFF_CLAUSES / TEAM_OFF_JA (English as the error says it)
    ErrorCase.TEAM_OFF: (
        "Team handling is off for {mailbox}: {reasons}.",
        "{mailbox} ではチームでの対応管理が使えません。{reasons}。",
    ),
    ErrorCase.NO_CONDSTORE: (
        "This mail server cannot change messages atomically (no CONDSTORE).",
        "このメールサーバーはメールを一度に安全に変更できません（CONDSTORE がありません）。",
    ),
    ErrorCase.NO_MODSEQ: (
        "The server did not report a modification sequence (CONDSTORE off?).",
        "サーバーが変更番号を返しませんでした（CONDSTORE がオフ？）。",
    ),
    ErrorCase.NO_STARTTLS: (
        "{host} does not offer STARTTLS on port {port}. Use implicit TLS (port {tls_port}) "
        "or ask the server's administrator.",
        "{host} はポート {port} で STARTTLS に対応していません。"
        "TLS（ポート {tls_port}）を使うか、サーバーの管理者に問い合わせてください。",
    ),
    ErrorCase.NO_SMTP_AUTH: (
        "{host} does not offer login (SMTP AUTH) on port {port}.",
        "{host} はポート {port} でログイン（SMTP AUTH）に対応していません。",
    ),
}

#: The Japanese clause of each reason a mailbox cannot carry handling state.
TEAM_OFF_JA: dict[TeamOffReason, str] = {
    TeamOffReason.NO_KEYWORDS: "サーバーがメールにアプリ独自のラベルを付けることを許していない"
    "（PERMANENTFLAGS に \\* がない）ため、対応状況と担当者を共有できません",
    TeamOffReason.NO_CONDSTORE: "サーバーが「ほかの人が先に変更していない場合だけ変更する」ことが"
    "できない（CONDSTORE がない）ため、二人のメンバーが同じメールを担当してしまうおそれがあります",
    TeamOffReason.READ_ONLY: "このログインではフォルダーを読めてもフラグを変更できない（読み取り専用）"
    "ため、メールの担当や引き継ぎができません",
}


def _team_off_reasons(codes: str, language: str) -> str:
    """The reason codes of a TEAM_OFF error as clauses, joined as the language joins them."""
    known = [TeamOffReason(c) for c in codes.split(",") if c in set(TeamOffReason)]
    if language == "ja":
        return "。".join(TEAM_OFF_JA[c] for c in known)
    return "; ".join(TEAM_OFF_CLAUSES[c] for c in known)


def cli_words(error: MailwiseError, language: str) -> str:
    """The sentence the CLI prints for ``error`` (``language``: ``"ja"`` or ``"en"``)."""
    words = WORDS.get(error.case) if error.case is not None else None
    if words is None:
        return error.text(language)
    template = words[1] if language == "ja" else words[0]
    data = dict(error.data)
    if error.case is ErrorCase.TEAM_OFF and "reasons" in data:
        data["reasons"] = _team_off_reasons(data["reasons"], language)
    try:
        return template.format(**data)
    except (KeyError, IndexError, ValueError):
        return error.text(language)  # data missing: the service's own sentence
