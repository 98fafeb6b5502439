"""The application: settings, wiring, the CLI (and later the answer engine and web app)."""
