import type { AppContext } from '../context';
import type { InProcessApi } from './api-call';
import type { LiveHub } from './live';

/**
 * What every console area receives: the service context (reads through the features' query
 * functions), the API in-process (writes) and the hub of live figures (server-sent events).
 */
export type ConsoleDeps = { ctx: AppContext; api: InProcessApi; live: LiveHub };
