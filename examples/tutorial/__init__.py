"""The examples of asynctest's tutorial, as runnable test modules."""
