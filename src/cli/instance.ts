import type { App } from '../app';
import { UserError } from '../errors';
import type { Role } from '../jobs/roles';
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

/**
 * Refuses to start a role beside the other way of running: `start` (role all) polls and sends by
 * itself, so beside a `--role bot` (or with workers beside it) every new item would be polled
 * twice and sent by two senders with two rate-limit budgets. Each way holds its own lease (`all`
 * the `worker` lease, a bot the `sender` lease), so the other way's live lease gives it away.
 * Workers alone hold no lease: an `all` started beside workers with no bot is not caught here.
 */
export async function refuseMixedRoles(app: App, role: Role, leaseSeconds: number): Promise<void> {
  const [lease, running, instead] =
    role === 'all'
      ? ([
          'sender',
          'a `briefing start --role bot`',
          'start workers with `--role worker` instead',
        ] as const)
      : ([
          'worker',
          'a `briefing start` (role all)',
          'stop it first: it already polls and sends',
        ] as const);
  const holder = await app.kv.leaseHolder(lease);
  if (!holder) return;
  throw new UserError(
    `${running} is running on this store (${describeHolder(holder)}); one store runs either one \`start\` or workers and bots, not both: ${instead} (if it was just stopped, its lease runs out within ${leaseSeconds} s)`,
  );
}
