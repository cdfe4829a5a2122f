"""gunicorn's gthread worker, with a graceful stop that answers every request it has let in.

gunicorn 23's ThreadWorker leaves its loop as soon as `alive` turns False, then closes its poller and its
listening sockets. Two kinds of connection are lost on the way (benoitc/gunicorn#2529 and #3380; the open
pull request #3612 fixes the second for SO_REUSEPORT):

- connections it accepted in its last loop iteration, still waiting in the poller for their first request to
  be read: the process exits with the request unread, and the kernel resets them;
- connections whose TCP handshake the kernel completed but which were still in the listen backlog: the kernel
  resets them when the last listening socket closes.

In both cases the client has already sent its request. NGINX answers it with a 502 and, for a POST, may not
retry it on another server (the request may have been processed). The integration test that stops one of two
backends under load (tests/integration/faults.test.ts) saw this in about one run in six.

So a graceful stop here first stops accepting, on the loop's own thread (the only one that may touch the
poller): it takes the listeners out of the poller, accepts what the backlog holds and closes the listeners, and
hands every connection with a request to read to a thread; only then does the loop end. A connection attempt
after that is refused, which NGINX retries on another server, POSTs included, as nothing was sent. What is left
is the race every HTTP/1.1 server has when it closes an idle keep-alive connection just as the client reuses
it; the drain in backend/shutdown.py makes those rare by closing each connection after its response first.
"""

from __future__ import annotations

import selectors
import socket
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker


class DrainingThreadWorker(ThreadWorker):
    """ThreadWorker whose graceful stop (handle_exit) drains the listen backlog instead of resetting it."""

    def init_process(self) -> None:
        self._stopped = False
        # handle_exit runs in a signal handler or in the drain timer's thread; it wakes the loop through this pair.
        self._stop_reader, self._stop_writer = socket.socketpair()
        self._stop_reader.setblocking(False)
        self._stop_writer.setblocking(False)
        super().init_process()

    def run(self) -> None:
        self.poller.register(self._stop_reader, selectors.EVENT_READ, self._stop_accepting)
        super().run()

    def handle_exit(self, sig: int, frame: Any) -> None:
        """A graceful stop: the loop stops accepting, then ends (gunicorn's own handle_exit only ends it)."""
        try:
            self._stop_writer.send(b"\0")
        except OSError:
            # A second stop while the first is pending (the pair's buffer is full) or after the loop closed it.
            pass

    def accept(self, server: Any, listener: socket.socket) -> None:
        if self._stopped:
            return  # an event from the select() that also woke _stop_accepting: the listener is closed now
        super().accept(server, listener)

    def on_client_socket_readable(self, conn: TConn, client: socket.socket) -> None:
        if self._stopped:
            return  # likewise: _stop_accepting has handed every readable connection to a thread already
        super().on_client_socket_readable(conn, client)

    def _stop_accepting(self, _reader: socket.socket) -> None:
        if self._stopped or not self.alive:
            return
        with self._lock:
            self.poller.unregister(self._stop_reader)
            for listener in self.sockets:
                self.poller.unregister(listener)
        for listener in self.sockets:
            server = listener.getsockname()
            while True:
                try:
                    client_socket, client = listener.accept()
                except (BlockingIOError, InterruptedError):
                    break  # the backlog is empty
                except ConnectionAbortedError:
                    continue  # the client gave up while in the backlog
                self.nr_conns += 1
                self.enqueue_req(TConn(self.cfg, client_socket, client, server))
            # From here on the kernel refuses new connections (once every worker has closed its copy).
            listener.close()

        # Connections the loop accepted but has not read from yet, and keep-alive connections on which a request
        # has already arrived: both hold a request the client expects an answer to.
        with self._lock:
            keys = [key for key in self.poller.get_map().values() if key.fileobj is not self._stop_reader]
        ready = {key.fileobj for key, _ in self.poller.select(0)}
        for key in keys:
            conn = key.data.args[0]
            if not conn.initialized:
                with self._lock:
                    self.poller.unregister(key.fileobj)
                self.enqueue_req(conn)
            elif key.fileobj in ready:
                key.data(key.fileobj)
        self._stopped = True
        self.alive = False
