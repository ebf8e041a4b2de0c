"""moto_server with one fix: SQS deletes made atomic. Every local stack (demo, tests, benchmarks) runs it.

moto 5.2.1 serves requests on threads, and Queue.delete_message rebuilds the queue's message list from
a snapshot without a lock: two concurrent DeleteMessage calls can write back a message the other one
just deleted. That message then sits "in flight" until its visibility timeout and is delivered again,
so a batch waits the whole visibility timeout for it (real SQS does not lose deletes). Serialising the
calls that replace or extend the list fixes it; everything else is moto as installed.
Run with the project's .venv python, with moto_server's arguments (src/local/stack/moto.ts does).
"""

import functools
import threading

from moto.server import main
from moto.sqs import models

_lock = threading.RLock()


def _serialised(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with _lock:
            return method(*args, **kwargs)

    return wrapper


models.Queue.delete_message = _serialised(models.Queue.delete_message)
models.Queue.add_message = _serialised(models.Queue.add_message)

if __name__ == "__main__":
    main()
