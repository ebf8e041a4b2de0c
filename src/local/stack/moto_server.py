"""moto_server with fixes to its SQS. Every local stack (demo, tests, benchmarks) runs it.

Deletes made atomic:

moto 5.2.1 serves requests on threads, and Queue.delete_message rebuilds the queue's message list from
a snapshot without a lock: two concurrent DeleteMessage calls can write back a message the other one
just deleted. That message then sits "in flight" until its visibility timeout and is delivered again,
so a batch waits the whole visibility timeout for it (real SQS does not lose deletes). Serialising the
calls that replace or extend the list fixes it.

No per-call work proportional to the queue's length, where moto 5.2.1 did it (with 20,000 messages
queued, each call cost tens of milliseconds, and a large batch ran at a few images/s):

- A cheap clock: every SendMessage, ReceiveMessage and GetQueueAttributes asks each queued message
  whether it is visible and whether it is delayed, and each answer built two datetimes to read the time
  (~8 µs). Reading time.time() gives the same epoch milliseconds for "now"; a given datetime is still
  converted by moto's own function.
- Approximate counts only where asked: moto computes every queue attribute, including the three
  ApproximateNumberOfMessages* counts (a scan of the queue each), whenever one attribute is read, which
  SendMessage does once and ReceiveMessage once per message (the retention period), and
  GetQueueAttributes three times per requested name. Here a send skips the counts, the retention period
  is read directly, and one GetQueueAttributes counts once.
- DeleteMessage finds its message by receipt handle in an index instead of asking every queued message
  for its list of past handles, twice.

DeleteMessageBatch refuses what SQS refuses, as the whole request: more than 10 entries
(TooManyEntriesInBatchRequest), two entries with one Id (BatchEntryIdsNotDistinct), an Id that is not 1-80
letters, digits, hyphens or underscores (InvalidBatchEntryId). moto 5.2.1 deletes any number of entries
and checks only that their receipt handles differ (which it keeps).

S3 closer to the real service, where the pipeline depends on it:

- Events name the version and order: a record of a versioned bucket carries the object's versionId, and
  every record a sequencer (increasing), as S3's do; moto 5.2.1 sends neither.
- CopyObject honours x-amz-copy-source-if-match (412 PreconditionFailed when the source's ETag differs),
  which moto 5.2.1 ignores.
- S3 keys at most 1,024 bytes (UTF-8), as S3 enforces: moto 5.2.1 stores any length, so a local run
  could write keys real S3 refuses with KeyTooLongError (PutObject, CopyObject, CreateMultipartUpload).

Everything else is moto as installed. Run with the project's .venv python, with moto_server's arguments
(src/local/stack/moto.ts does).
"""

import functools
import itertools
import re
import threading
import time
from urllib.parse import parse_qs, unquote, urlparse

from moto.s3 import models as s3_models
from moto.s3 import notifications
from moto.s3.exceptions import PreconditionFailed, S3ClientError
from moto.s3.responses import S3Response
from moto.server import main
from moto.sqs import models
from moto.sqs.exceptions import (
    BatchEntryIdsNotDistinct,
    InvalidBatchEntryId,
    ReceiptHandleIsInvalid,
    TooManyEntriesInBatchRequest,
)
from moto.sqs.responses import SQSResponse

_lock = threading.RLock()


def _serialised(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with _lock:
            return method(*args, **kwargs)

    return wrapper


# --- the clock

_moto_unix_time_millis = models.unix_time_millis


def _unix_time_millis(dt=None):
    return time.time() * 1000.0 if dt is None else _moto_unix_time_millis(dt)


models.unix_time_millis = _unix_time_millis

# --- approximate counts

_COUNTS = (
    "approximate_number_of_messages",
    "approximate_number_of_messages_delayed",
    "approximate_number_of_messages_not_visible",
)
_SKIP_COUNTS = object()
_call = threading.local()


def _counted_once_per_call(name, moto_count):
    def count(queue):
        mode = getattr(_call, "counts", None)
        if mode is None:
            return moto_count(queue)
        if mode is _SKIP_COUNTS:
            return 0
        key = (id(queue), name)
        if key not in mode:
            mode[key] = moto_count(queue)
        return mode[key]

    return property(count)


for _name in _COUNTS:
    setattr(models.Queue, _name, _counted_once_per_call(_name, getattr(models.Queue, _name).fget))


def _with_counts(mode_factory):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(*args, **kwargs):
            _call.counts = mode_factory()
            try:
                return method(*args, **kwargs)
            finally:
                _call.counts = None

        return wrapper

    return decorate


models.SQSBackend.send_message = _with_counts(lambda: _SKIP_COUNTS)(models.SQSBackend.send_message)
models.SQSBackend.get_queue_attributes = _with_counts(dict)(models.SQSBackend.get_queue_attributes)


def _retained(backend, queue_name, message):
    retention_seconds = backend.get_queue(queue_name).message_retention_period
    return int(retention_seconds) + message.sent_timestamp / 1000 > time.time()


models.SQSBackend.is_message_valid_based_on_retention_period = _retained

# --- deletes by receipt handle

_messages_by_receipt_handle = {}
_moto_mark_received = models.Message.mark_received


def _mark_received(message, visibility_timeout=None):
    _moto_mark_received(message, visibility_timeout)
    _messages_by_receipt_handle[message.receipt_handle] = message


def _delete_message(queue, receipt_handle):
    if receipt_handle in queue.deleted_messages:
        return  # deleting again is not an error, as in moto
    message = _messages_by_receipt_handle.get(receipt_handle)
    if message is None or not any(queued is message for queued in queue._messages):
        raise ReceiptHandleIsInvalid()
    queue._messages = [queued for queued in queue._messages if queued is not message]
    queue.pending_messages.discard(message)
    queue.deleted_messages.update(message.all_receipt_handles)
    for handle in message.all_receipt_handles:
        _messages_by_receipt_handle.pop(handle, None)


models.Message.mark_received = _mark_received
models.Queue.delete_message = _serialised(_delete_message)
models.Queue.add_message = _serialised(models.Queue.add_message)

# --- DeleteMessageBatch: SQS's limits on its entries

_MAX_BATCH_ENTRIES = 10
_BATCH_ENTRY_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")
_moto_delete_message_batch = SQSResponse.delete_message_batch


def _delete_message_batch(response):
    entries = response._get_param("Entries", [])
    ids = [entry.get("Id", "") for entry in entries]
    if not all(_BATCH_ENTRY_ID.fullmatch(entry_id) for entry_id in ids):
        raise InvalidBatchEntryId()
    seen = set()
    for entry_id in ids:
        if entry_id in seen:
            raise BatchEntryIdsNotDistinct(entry_id)
        seen.add(entry_id)
    if len(entries) > _MAX_BATCH_ENTRIES:
        raise TooManyEntriesInBatchRequest(len(entries))
    return _moto_delete_message_batch(response)


SQSResponse.delete_message_batch = _delete_message_batch

# --- S3 events: versionId and sequencer

_moto_s3_event = notifications._get_s3_event
_sequencers = itertools.count(1)


def _s3_event(event_name, bucket, key, notification_id):
    event = _moto_s3_event(event_name, bucket, key, notification_id)
    s3_object = event["Records"][0]["s3"]["object"]
    s3_object["sequencer"] = f"{next(_sequencers):018X}"
    if bucket.is_versioned:
        s3_object["versionId"] = key.version_id
    return event


notifications._get_s3_event = _s3_event

# --- CopyObject: x-amz-copy-source-if-match

_moto_copy_object = S3Response.copy_object


def _copy_object(response):
    wanted = response.headers.get("x-amz-copy-source-if-match")
    if wanted:
        header = response.headers.get("x-amz-copy-source")
        source = urlparse(header.decode("utf-8") if isinstance(header, bytes) else header)
        bucket, key = unquote(source.path).lstrip("/").split("/", 1)
        version_id = parse_qs(source.query).get("versionId", [None])[0]
        found = response.backend.get_object(bucket, key, version_id=version_id)
        if found is not None and wanted.strip('"') != found.etag.strip('"'):
            raise PreconditionFailed("x-amz-copy-source-If-Match")
    return _moto_copy_object(response)


S3Response.copy_object = _copy_object

# --- S3 key length

_MAX_KEY_BYTES = 1024


class KeyTooLongError(S3ClientError):
    code = "KeyTooLongError"

    def __init__(self):
        super().__init__("KeyTooLongError", "Your key is too long")


def _key_length_checked(method):
    @functools.wraps(method)
    def wrapper(backend, bucket_name, key_name, *args, **kwargs):
        if len(key_name.encode("utf-8")) > _MAX_KEY_BYTES:
            raise KeyTooLongError()
        return method(backend, bucket_name, key_name, *args, **kwargs)

    return wrapper


# CopyObject writes its target through put_object.
s3_models.S3Backend.put_object = _key_length_checked(s3_models.S3Backend.put_object)
s3_models.S3Backend.create_multipart_upload = _key_length_checked(
    s3_models.S3Backend.create_multipart_upload
)

if __name__ == "__main__":
    main()
