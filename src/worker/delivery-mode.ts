import type { Router } from '../domain/delivery';
import type { DrainDeps } from '../delivery/drain';
import type { Sink } from '../delivery/sink';
import type { WorkerDeps } from './worker';

/** Where matched items go and how: the console in console mode, Discord with a token. */
export interface DeliveryMode {
  sink: Sink;
  route: Router;
  onResult?: DrainDeps['onResult'];
  onOutcome?: WorkerDeps['onOutcome'];
  /** Work started by onOutcome that the next drain waits for, so a poll round ends with it done. */
  settle?: () => Promise<unknown>;
}
