import { outputKeyProblem, outputKeys } from '../../src/workflows/output-keys';

/** Keys that collide with each other's outputs under a layout that only appends a suffix. */
const TRICKY_KEYS = [
  'a.png',
  'a.png.labels.json',
  'a.png.error.json',
  'a.png.json',
  'images/a.png',
  'labels/a.png.json',
  'errors/a.png.json',
  'processed/a.png',
];

it('gives no two source keys a shared output name', () => {
  const owners = new Map<string, string>();
  for (const key of TRICKY_KEYS) {
    for (const name of Object.values(outputKeys(key)) as string[]) {
      expect(owners.get(name) ?? key).toBe(key);
      owners.set(name, key);
    }
  }
  expect(owners.size).toBe(TRICKY_KEYS.length * 4);
});

it('keeps the flat layout of batches begun before, which does collide', () => {
  expect(outputKeys('a.png', 'flat').labels).toBe(outputKeys('a.png.labels.json', 'flat').processedImage);
});

it('says when a key is too long for its outputs, counting UTF-8 bytes', () => {
  expect(outputKeyProblem('k'.repeat(1024 - 'processed/labels/.json'.length), 'by-kind')).toBeUndefined();
  expect(outputKeyProblem('k'.repeat(1025 - 'processed/labels/.json'.length), 'by-kind')).toMatch(
    /too long for the results bucket: .* would be 1025 bytes, S3 allows 1024/,
  );
  // 'é' is two bytes, '😀' four.
  expect(outputKeyProblem('é'.repeat(501), 'by-kind')).toBeUndefined();
  expect(outputKeyProblem('é'.repeat(502), 'by-kind')).toMatch(/would be 1026 bytes/);
  expect(outputKeyProblem('😀'.repeat(251), 'by-kind')).toMatch(/would be 1026 bytes/);
});
