"""Who may log in: users and roles, login throttling, and removing a user."""
