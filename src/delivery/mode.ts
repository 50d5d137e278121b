import type { WorkerDeps } from '../worker/worker';
import type { Router } from '../worker/route';
import type { DrainDeps } from './drain';
import type { Sink } from './sink';

/** Where matched items go and how: the console in console mode, Discord with a token. */
export interface DeliveryMode {
  sink: Sink;
  route: Router;
  onResult?: DrainDeps['onResult'];
  onOutcome?: WorkerDeps['onOutcome'];
  /** Work started by onOutcome that the next drain waits for, so a poll round ends with it done. */
  settle?: () => Promise<unknown>;
}
