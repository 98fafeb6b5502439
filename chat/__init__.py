"""The application: settings, wiring, the answer engine, the CLI, the web app and operations."""
