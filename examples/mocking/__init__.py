"""The examples of the tutorial's "Mocking" chapter (docs/tutorial/02-mocking.md)."""
