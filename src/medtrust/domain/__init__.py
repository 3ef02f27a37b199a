"""Pure domain types. This package imports nothing else from medtrust."""
