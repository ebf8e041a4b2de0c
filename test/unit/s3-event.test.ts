import { decodeObjectKey, parseQueueMessage } from '../../src/workflows/s3-event';

const SOURCE = 'images-in';

function event(bucket: string, key: string, eventName = 'ObjectCreated:Put'): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName,
        s3: {
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key, size: 10, eTag: 'abc' },
        },
      },
    ],
  });
}

describe('decodeObjectKey', () => {
  it.each([
    ['my+photo.jpg', 'my photo.jpg'],
    ['a%2Bb.png', 'a+b.png'],
    ['dir%2Fsub%2Fx.png', 'dir/sub/x.png'],
    ['caf%C3%A9+%281%29.JPG', 'café (1).JPG'],
    ['plain.jpeg', 'plain.jpeg'],
  ])('decodes %s as %s', (encoded, decoded) => {
    expect(decodeObjectKey(encoded)).toBe(decoded);
  });

  it('returns undefined for broken escapes', () => {
    expect(decodeObjectKey('bad%E0%A4%A.png')).toBeUndefined();
  });
});

describe('parseQueueMessage', () => {
  it('reads an object-created event for the source bucket, decoding the key', () => {
    expect(parseQueueMessage(event(SOURCE, 'in/My+Photo+%C3%A9.jpg'), SOURCE)).toEqual({
      kind: 'objects',
      objects: [{ bucket: SOURCE, key: 'in/My Photo é.jpg', eTag: 'abc' }],
    });
  });

  it('keeps the version and sequencer a versioned bucket announces', () => {
    const body = JSON.parse(event(SOURCE, 'a.png')) as {
      Records: Array<{ s3: { object: Record<string, unknown> } }>;
    };
    Object.assign(body.Records[0].s3.object, {
      versionId: '3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
      sequencer: '0A1B2C3D4E5F678901',
    });
    expect(parseQueueMessage(JSON.stringify(body), SOURCE)).toEqual({
      kind: 'objects',
      objects: [
        {
          bucket: SOURCE,
          key: 'a.png',
          eTag: 'abc',
          versionId: '3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
          sequencer: '0A1B2C3D4E5F678901',
        },
      ],
    });
  });

  it('acknowledges S3 test events', () => {
    expect(
      parseQueueMessage(
        JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: SOURCE }),
        SOURCE,
      ),
    ).toEqual({
      kind: 'test-event',
    });
  });

  it.each([
    ['not JSON', 'hello', /not JSON/],
    ['a JSON array', '[1,2]', /not an S3 event notification/],
    ['no records', '{"foo":1}', /no Records/],
    [
      'a foreign bucket',
      event('attacker-bucket', 'x.png'),
      /"attacker-bucket" is not the configured source bucket "images-in"/,
    ],
    ['a delete event', event(SOURCE, 'x.png', 'ObjectRemoved:Delete'), /not an ObjectCreated event/],
    ['a broken key', event(SOURCE, '%E0%A4%A'), /not valid URL encoding/],
    [
      'a record without key',
      JSON.stringify({
        Records: [
          { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: SOURCE } } },
        ],
      }),
      /lacks s3.bucket.name or s3.object.key/,
    ],
  ])('rejects %s with a reason', (_name, body, reason) => {
    const parsed = parseQueueMessage(body, SOURCE);
    expect(parsed.kind).toBe('rejected');
    expect(parsed.kind === 'rejected' && parsed.reason).toMatch(reason);
  });

  it('rejects a whole message when any record names another bucket', () => {
    const mixed = JSON.parse(event(SOURCE, 'a.png')) as { Records: unknown[] };
    mixed.Records.push((JSON.parse(event('other', 'b.png')) as { Records: unknown[] }).Records[0]);
    expect(parseQueueMessage(JSON.stringify(mixed), SOURCE)).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/^Record 1:/),
    });
  });
});
