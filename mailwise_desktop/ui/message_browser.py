"""The body viewer: sanitised HTML in a QTextBrowser that loads only ``cid:`` parts.

SECURITY.md: nothing from the network, ever, unless the user allowed remote
content for this message or sender (then the sanitiser keeps the remote
``img`` tags and this browser still refuses to fetch anything itself: it has
no network access — remote images show as their alt text). Links are never
followed inside the app; hovering shows the real address, and a click asks
first when the link is deceptive (:func:`mail.links.link_warning`).
"""

from __future__ import annotations

from html.parser import HTMLParser

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QMessageBox, QTextBrowser, QWidget

from mailwise_desktop.mail.html_sanitize import SanitizedHtml, cid_from_url
from mailwise_desktop.mail.links import LinkWarning, link_warning, normalize_href

_OPENABLE_SCHEMES = frozenset({"http", "https", "mailto"})


def warning_text(warning: LinkWarning) -> str:
    """A deceptive-link reason in the UI language."""
    texts = {
        LinkWarning.TEXT_MISMATCH: QCoreApplication.translate(
            "LinkWarning", "The link text shows a different address than the link opens."
        ),
        LinkWarning.IP_ADDRESS: QCoreApplication.translate(
            "LinkWarning", "The link goes to a numeric IP address instead of a named site."
        ),
        LinkWarning.USERINFO: QCoreApplication.translate(
            "LinkWarning", "The link hides its real destination behind a user name (an '@')."
        ),
        LinkWarning.PUNYCODE: QCoreApplication.translate(
            "LinkWarning", "The site name uses encoded international characters (xn--)."
        ),
        LinkWarning.MIXED_SCRIPTS: QCoreApplication.translate(
            "LinkWarning", "The site name mixes alphabets, a common look-alike trick."
        ),
        LinkWarning.UNSAFE_SCHEME: QCoreApplication.translate(
            "LinkWarning", "The link is not a web or e-mail address."
        ),
        LinkWarning.MALFORMED: QCoreApplication.translate(
            "LinkWarning", "The link address is malformed."
        ),
    }
    return texts[warning]


def _blank_pixel() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    return image


class _AnchorTexts(HTMLParser):
    """Collects the visible text of each link, by its href."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self._href: str | None = None
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or None
            self._parts = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.texts.setdefault(link_key(self._href), "".join(self._parts).strip())
            self._href = None


def link_key(href: str) -> str:
    """The form a link is compared and opened in: as Qt parses it, then normalised."""
    return normalize_href(QUrl(href).toString())


class MessageBrowser(QTextBrowser):
    """A QTextBrowser that never navigates and never fetches.

    Signals:
        link_hovered(str): the real address under the mouse ("" when none).
    """

    link_hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBody")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.cid_parts: dict[str, bytes] = {}
        #: Every resource the document asked for (tests check none was remote).
        self.requested: list[str] = []
        self._anchor_texts: dict[str, str] = {}
        self.highlighted.connect(self._on_highlighted)
        self.anchorClicked.connect(self.open_link)
        #: Replaced in tests: how an approved link leaves the app.
        self.open_external = QDesktopServices.openUrl

    # -- content -----------------------------------------------------------

    def show_html(self, sanitized: SanitizedHtml, cid_parts: dict[str, bytes]) -> None:
        """Show already sanitised HTML; ``cid_parts`` maps Content-IDs to image bytes."""
        self.cid_parts = cid_parts
        parser = _AnchorTexts()
        parser.feed(sanitized.html)
        self._anchor_texts = parser.texts
        self.setHtml(sanitized.html)

    def show_text(self, text: str) -> None:
        self.cid_parts = {}
        self._anchor_texts = {}
        self.setPlainText(text)

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        """Serve ``cid:`` parts from memory; refuse everything else.

        A refused image gets a blank pixel (returning nothing makes Qt look for
        a local file of that name).
        """
        name = url.toString() if isinstance(url, QUrl) else str(url)
        self.requested.append(name)
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return None
        cid = cid_from_url(name)
        data = self.cid_parts.get(cid) if cid is not None else None
        if data is not None:
            image = QImage.fromData(data)
            if not image.isNull():
                return image
        return _blank_pixel()

    # -- links -------------------------------------------------------------

    def _on_highlighted(self, url: QUrl) -> None:
        real = url.toString() if not url.isEmpty() else ""
        self.setToolTip(real)
        self.link_hovered.emit(real)

    def link_text(self, href: str) -> str:
        """The visible text of the link that opens ``href`` (in any spelling of it)."""
        return self._anchor_texts.get(link_key(href), "")

    def open_link(self, url: QUrl) -> bool:
        """Open a clicked link outside the app, after a confirmation when it is deceptive.

        Returns:
            True when the link was handed to the system.
        """
        href = link_key(url.toString())  # the same form for the check and the lookup
        scheme = url.scheme().lower()
        warning = link_warning(href, self.link_text(href))
        if scheme not in _OPENABLE_SCHEMES:
            self._refuse(href, warning or LinkWarning.UNSAFE_SCHEME)
            return False
        if warning is not None and not self.confirm_link(href, warning):
            return False
        self.open_external(url)
        return True

    def _refuse(self, href: str, warning: LinkWarning) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Link not opened"), "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("linkRefused")
        box.setText(self.tr("Mailwise does not open this kind of link."))
        box.setInformativeText(f"{warning_text(warning)}\n\n{href}")
        box.open()

    def confirm_link(self, href: str, warning: LinkWarning) -> bool:
        """Ask before opening a deceptive link (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Open this link?"), "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("linkConfirm")
        box.setText(warning_text(warning))
        box.setInformativeText(self.tr("It really opens:\n%1").replace("%1", href))
        box.setStandardButtons(QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Open
