"""Mail layer: MIME parsing (with the Japanese pipeline), HTML sanitising, file names.

No PySide6 here. Importing the package registers the Windows charset labels
(``windows-31j``, ``x-sjis``, ...) with Python's codec registry.
"""

from mailwise_desktop.mail.charsets import register_codec_aliases

register_codec_aliases()
