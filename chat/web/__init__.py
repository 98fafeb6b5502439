"""The Chainlit web app: handlers, routes and the ``kbchat serve`` launcher."""
