"""The Stop button: it cancels the answer being written, and says so in the persona's
language (Chainlit's own handler also posts "Task manually stopped." in English).

Cancelling the chat task ends the answer's stream; the worker thread is told to cancel
(``bridge.iterate_in_thread``) and the model stops at its next token, or leaves the queue
if it was still waiting for its turn, so the next question does not wait behind it.
"""

from __future__ import annotations


def install_stop() -> None:
    """Replace Chainlit's ``stop`` Socket.IO handler (installed once per process)."""
    from chainlit.context import init_ws_context
    from chainlit.server import sio
    from chainlit.session import WebsocketSession

    async def stop(sid: str) -> None:
        session = WebsocketSession.get(sid)
        if session is None:
            return
        init_ws_context(session)
        if session.current_task:  # the answer notes that it was stopped (replies._answer)
            session.current_task.cancel()

    sio.on("stop", stop)
