import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceError } from '@temporalio/client';
import { UserError } from '../../src/config/user-error';
import { missingSearchAttribute } from '../../src/search-attributes-missing';
import { searchAttributeDefinitions } from '../../src/workflows/search-attribute-keys';

const root = join(__dirname, '..', '..');

it('registers every search attribute, with its type, wherever a namespace is set up', () => {
  const definitions = searchAttributeDefinitions();
  expect(definitions).toHaveLength(7);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
  for (const definition of definitions) {
    expect(readme).toContain(definition);
    expect(compose).toContain(`--search-attribute=${definition}`);
  }
});

it('stays within what SQL visibility holds per namespace: 3 Int, 3 Double, 10 Keyword', () => {
  const count = (type: string) => searchAttributeDefinitions().filter((d) => d.endsWith(`=${type}`)).length;
  expect(count('Int')).toBeLessThanOrEqual(3);
  expect(count('Double')).toBeLessThanOrEqual(3);
  expect(count('Keyword')).toBeLessThanOrEqual(10);
});

it('says which search attribute a namespace lacks, and how to register them', () => {
  const refused = new ServiceError('Failed to create schedule', {
    cause: new Error(
      '3 INVALID_ARGUMENT: Namespace default has no mapping defined for search attribute CustomLabelsModelVersion',
    ),
  });
  const error = missingSearchAttribute(refused);
  expect(error).toBeInstanceOf(UserError);
  expect(error?.message).toMatch(
    /does not know the search attribute CustomLabelsModelVersion.*operator search-attribute create/,
  );
  expect(
    missingSearchAttribute(new ServiceError('Failed to create schedule', { cause: new Error('other') })),
  ).toBeUndefined();
});
