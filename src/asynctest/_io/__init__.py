"""I/O mocks (files, sockets) and the TestSelector that watches them; see ``asynctest.selector``."""
