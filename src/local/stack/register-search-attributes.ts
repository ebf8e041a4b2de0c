import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attribute-keys';

/**
 * Registers the batches' search attributes the dev server's namespace lacks. `--search-attribute` covers a
 * new database, but the dev server ignores it on one created without them (an `.local/temporal.db` from
 * before they existed), and a schedule whose batches set an unknown attribute is refused.
 */
export async function registerMissingSearchAttributes(
  address: string,
  namespace = 'default',
): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.values(SEARCH_ATTRIBUTES).filter((key) => !customAttributes?.[key.name]);
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(
          missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
        ),
      });
    }
    return missing.map((key) => key.name);
  } finally {
    await connection.close();
  }
}
