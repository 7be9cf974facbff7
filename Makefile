# Mailwise Desktop: developer and CI entry points.
#   make deps   system packages: Dovecot for the integration tests, CJK fonts for
#               screenshots, the libraries PySide6 needs on a bare Debian
#   make venv   .venv with the app installed editable, test and dev tools
#   make test   the whole suite (unit, integration against real servers, GUI offscreen)
#   make package  PyInstaller one-folder build (dist/Mailwise);  make deb  the Debian package
#   make lint   ruff check, ruff format --check, mypy (strict; files listed in pyproject)
#   make test-windows  the suite under Windows CPython in Wine (scripts/windows_lane.py;
#               downloads cached under build/windows; Dovecot stays on the Linux side)
#   make installer-windows  dist/Mailwise-Setup-<version>.exe (PyInstaller under Wine, NSIS)
#   make test-installer-windows  install it silently under Wine, upgrade, run, uninstall

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# dovecot-imapd: the real IMAP server of the integration tests (TESTING.md).
# fonts-noto-cjk: Japanese glyphs in screenshots.
# The rest: shared libraries PySide6's wheels load (QtGui, the offscreen
# platform plugin) that a minimal Debian lacks; ICU ships inside the wheel.
# The xcb line: what the .deb Depends on for Qt's X11 plugin (its install test runs here).
APT_PACKAGES := dovecot-imapd fonts-noto-cjk \
	libegl1 libgl1 libx11-6 libglib2.0-0 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 \
	libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
	libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1

.PHONY: all venv deps test lint demo package deb dmg test-windows installer-windows \
	test-installer-windows

all: lint test

venv: $(BIN)/.installed

# Re-installs when pyproject.toml changes (new dependency, new entry point).
$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $@

deps:
	@if [ "$$(uname -s)" = Darwin ]; then \
		command -v dovecot >/dev/null || { echo "Dovecot is missing: brew install dovecot"; exit 1; }; \
	elif command -v apt-get >/dev/null; then \
		missing=""; \
		for pkg in $(APT_PACKAGES); do \
			dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; \
		done; \
		if [ -n "$$missing" ]; then \
			echo "Installing:$$missing"; \
			$(SUDO) apt-get update -qq && \
			$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		fi; \
	else \
		command -v dovecot >/dev/null || command -v /usr/sbin/dovecot >/dev/null || \
			echo "Dovecot is missing: install its IMAP server with your package manager"; \
	fi

test: deps venv
	$(BIN)/pytest $(PYTEST_ARGS)

# Unit, integration (CLI, sync, claims, sending) and GUI tests, Windows CPython
# under Wine; slow ones (packaging, big mailboxes) stay in the Linux run.
WINDOWS_TESTS ?= tests/unit tests/integration tests/gui
WINDOWS_PYTEST_ARGS ?= -m "not slow" -q
test-windows: deps venv
	$(BIN)/python scripts/windows_lane.py prepare
	$(BIN)/python scripts/windows_lane.py test $(WINDOWS_TESTS) $(WINDOWS_PYTEST_ARGS) $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# make demo                 one window on the demo shared mailbox
# make demo TEAMMATES=2      two teammates' windows side by side: claim in one, watch the other
TEAMMATES ?= 1
demo: deps venv
	$(BIN)/python -m tests.harness.demo --teammates $(TEAMMATES)

package: venv
	$(BIN)/pyinstaller --noconfirm --clean build.spec
	@echo "Built dist/Mailwise/ (mailwise, mailwise-desktop); check it with:"
	@echo "  QT_QPA_PLATFORM=offscreen dist/Mailwise/mailwise-desktop --self-test"

# dist/Mailwise-<version>.dmg on a Mac (hdiutil): Mailwise.app beside a link to
# /Applications, so a user drags it across. Not runnable on Linux.
VERSION = $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' mailwise_desktop/__init__.py)
dmg: package
	@[ "$$(uname -s)" = Darwin ] || { echo "make dmg needs macOS (hdiutil)"; exit 1; }
	rm -rf build/dmg && mkdir -p build/dmg
	cp -R dist/Mailwise.app build/dmg/
	ln -s /Applications build/dmg/Applications
	hdiutil create -volname "Mailwise $(VERSION)" -srcfolder build/dmg -fs HFS+ \
		-format UDZO -ov dist/Mailwise-$(VERSION).dmg

# dist/mailwise_<version>_<arch>.deb: the bundle under /opt/mailwise, both programs
# on PATH, desktop entry and icons (packaging/linux/build_deb.py).
deb: package
	$(BIN)/python packaging/linux/build_deb.py dist/Mailwise

# dist/Mailwise-Setup-<version>.exe: build.spec frozen by the Windows lane's python.exe
# under Wine (dist/windows/Mailwise/), packed by NSIS (packaging/windows/installer.nsi):
# per-user, Start menu, ja/en pages, uninstaller keeping the data unless asked.
installer-windows: venv
	$(BIN)/python scripts/windows_lane.py prepare-build
	$(BIN)/python packaging/windows/build_installer.py

# Runs the installer built above in a fresh Wine prefix (tests/slow/test_windows_installer.py).
test-installer-windows: venv
	MAILWISE_INSTALLER_TEST=1 $(BIN)/pytest tests/slow/test_windows_installer.py -q $(PYTEST_ARGS)
