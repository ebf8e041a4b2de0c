"""moto_server with two fixes to its SQS. Every local stack (demo, tests, benchmarks) runs it.

Deletes made atomic:

moto 5.2.1 serves requests on threads, and Queue.delete_message rebuilds the queue's message list from
a snapshot without a lock: two concurrent DeleteMessage calls can write back a message the other one
just deleted. That message then sits "in flight" until its visibility timeout and is delivered again,
so a batch waits the whole visibility timeout for it (real SQS does not lose deletes). Serialising the
calls that replace or extend the list fixes it.

A cheap clock: every SendMessage, ReceiveMessage and GetQueueAttributes asks each queued message whether
it is visible and whether it is delayed, and each answer built two datetimes to read the time (~8 µs).
With thousands of messages queued that made one SendMessageBatch take 0.6 s (measured at 1,500 queued),
so large batches ran at a few images/s. Reading time.time() gives the same epoch milliseconds for "now";
a given datetime is still converted by moto's own function. Everything else is moto as installed.
Run with the project's .venv python, with moto_server's arguments (src/local/stack/moto.ts does).
"""

import functools
import threading
import time

from moto.server import main
from moto.sqs import models

_lock = threading.RLock()


def _serialised(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with _lock:
            return method(*args, **kwargs)

    return wrapper


_moto_unix_time_millis = models.unix_time_millis


def _unix_time_millis(dt=None):
    return time.time() * 1000.0 if dt is None else _moto_unix_time_millis(dt)


models.unix_time_millis = _unix_time_millis
models.Queue.delete_message = _serialised(models.Queue.delete_message)
models.Queue.add_message = _serialised(models.Queue.add_message)

if __name__ == "__main__":
    main()
