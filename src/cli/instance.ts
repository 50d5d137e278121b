import type { App } from '../app';
import type { Logger } from '../log';
import { describeHolder } from '../store/lease';

/** Exit code when another instance holds the store: like bad input, the operator's to fix. */
export const EXIT_ANOTHER_INSTANCE = 2;

/**
 * Takes the store's lease of role `all` (named `worker`) for this run. False (after saying who holds it) when another
 * instance is active: two instances on one store would post every new item twice.
 */
export async function becomeActive(app: App, logger: Logger): Promise<boolean> {
  const claim = await app.lease!.acquire();
  if (claim.held) return true;
  logger.error(
    `another instance is active on this store (${describeHolder(claim.holder)}); stop it first, or run \`briefing start --standby\` to take over when it stops`,
  );
  return false;
}
