"""The unittest front-end: TestCase and friends, thin wrappers over the engine."""
