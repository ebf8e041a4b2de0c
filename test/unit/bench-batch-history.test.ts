import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { timelineOf } from '../../bench/batch-history';
import { HISTORIES_DIR } from '../support/histories';

const recorded = (name: string) =>
  historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, name), 'utf8')));

describe("a batch's timeline from its histories", () => {
  it('finishes a message when a write group deletes it in a DeleteMessageBatch call', () => {
    // 25 messages, deleted in DeleteMessageBatch calls of 10, 10 and 5.
    const group = recorded(
      '2026-12-02-delete-batch.deletes-a-group-of-25-messages-in-3-deletemessagebatch-calls-each-message-after-.json',
    );
    const timeline = timelineOf([group]);
    expect(timeline.activities.deleteMessages).toBe(3);
    expect(timeline.messageDoneAt).toHaveLength(25);
  });

  it('finishes a message when its own DeleteMessage completes (runs recorded before write groups)', () => {
    const batch = recorded(
      '2026-12-01-write-groups.starts-the-model-processes-every-message-and-stops-the-model-once.writes-0-1.json',
    );
    const timeline = timelineOf([batch]);
    expect(timeline.messageDoneAt).toHaveLength(timeline.activities.deleteMessage);
    expect(timeline.messageDoneAt.length).toBeGreaterThan(0);
  });
});
