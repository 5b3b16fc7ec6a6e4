"""The built-in source plugins, one module per outlet, registered by entry point."""
