import type { AppContext } from '../../context';
import { attributeNamesOfList } from '../queries';
import { getList } from './lists';
import type { ListAttributes } from './schemas';

/** Contacts read at each end of the list (see attributeNamesOfList). */
const SAMPLE_EACH_END = 500;
/** Names answered at most: twice a file's IMPORT_MAX_COLUMNS leaves room for two imports. */
const MAX_NAMES = 200;

/**
 * The placeholders a template can use on this list: the attribute names of its contacts, from
 * its oldest and newest members (an import gives all its rows the same columns).
 */
export async function listAttributes(ctx: AppContext, listId: string): Promise<ListAttributes> {
  await getList(ctx, listId);
  return attributeNamesOfList(ctx.database.sql, listId, SAMPLE_EACH_END, MAX_NAMES);
}
