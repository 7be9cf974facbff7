"""Real servers and realistic data for the test suite.

Nothing here is mocked: :mod:`tests.harness.dovecot` runs a private Dovecot
instance, :mod:`tests.harness.smtp` an aiosmtpd server, both on loopback with
TLS from a throwaway CA (:mod:`tests.harness.certs`). :mod:`tests.harness.seed`
builds realistic mail for tests, the demo and the benchmarks.
"""
