"""Task engines: one per clinical task, each ``run(ctx) -> Result``."""
