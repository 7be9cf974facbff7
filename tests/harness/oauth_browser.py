"""``python -m tests.harness.oauth_browser URL``: the "system browser" of CLI sign-in tests.

Set as ``BROWSER="python -m tests.harness.oauth_browser %s"``: Python's
``webbrowser`` then runs it instead of a real browser. It follows the
authorization redirect of the test provider to the app's loopback listener.
"""

from __future__ import annotations

import sys

from tests.harness.oauth_provider import browser

if __name__ == "__main__":
    page = browser(sys.argv[1])
    sys.exit(0 if "Mailwise" in page else 1)
