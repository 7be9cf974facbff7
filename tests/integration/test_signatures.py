"""Signatures per teammate: my own, else the team's (a policy record) with my name in it."""

from __future__ import annotations

from mailwise_desktop.services.sending import SendingService
from tests.harness.teammates import Team

TEAM_SIGNATURE = "{{ me.name }}\n{{ team.name }} サポート窓口\n{{ me.email }}"


def service(team: Team, who: str) -> SendingService:
    ctx = team(who)
    return SendingService(ctx, ctx.account())


def test_the_team_signature_is_filled_in_for_each_teammate(team: Team) -> None:
    admin = service(team, "sato")
    admin.set_policy("signature", TEAM_SIGNATURE)
    suzuki = service(team, "suzuki")
    suzuki.refresh_team()
    assert suzuki.signature().splitlines()[0] == "鈴木"
    assert "サポート窓口" in suzuki.signature()
    sato = service(team, "sato")
    assert sato.signature().splitlines()[0] == "佐藤"

    # My own signature wins over the team's.
    team("suzuki").settings.set("signature", "鈴木 一郎\n内線 1234")
    assert suzuki.signature() == "鈴木 一郎\n内線 1234"


def test_a_hostile_team_signature_leaves_the_mail_unsigned(team: Team) -> None:
    admin = service(team, "sato")
    admin.set_policy("signature", "{{ 9 ** (9 ** 9) }}")
    tanaka = service(team, "tanaka")
    tanaka.refresh_team()
    assert tanaka.policy().signature == "{{ 9 ** (9 ** 9) }}"
    assert tanaka.signature() == ""  # stopped by the sandbox; the reply goes on unsigned
