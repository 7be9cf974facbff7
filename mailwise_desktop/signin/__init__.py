"""Signing in to mail services: OAuth2 (authorization code + PKCE, tokens in
the keychain, silent refresh) and finding a provider's settings from an
address (autoconfig, SRV, MX). No PySide6 here: the window and the CLI share it.
"""
