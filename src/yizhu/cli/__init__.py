"""The ``yizhu`` command."""
