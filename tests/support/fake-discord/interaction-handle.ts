/**
 * What the fake remembers about one interaction it dispatched, and the handle a test holds to
 * see how the bot answered it.
 */
import type {
  APIInteraction,
  APIInteractionResponse,
  APIMessage,
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
  RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord-api-types/v10';
import type { FakeState } from './state';

export interface Rejection {
  status: number;
  code: number;
  message: string;
}

export interface FollowUp {
  body: RESTPostAPIWebhookWithTokenJSONBody;
  message: APIMessage;
}

export interface InteractionRecord<P extends APIInteraction = APIInteraction> {
  payload: P;
  createdAt: number;
  /** The accepted first response (callback body). */
  response?: APIInteractionResponse;
  /** Callback attempts the fake refused (late, second acknowledgement, invalid body). */
  rejections: Rejection[];
  /** `@original` as it stands after the response and every edit. */
  original?: APIMessage;
  /** Bodies of PATCH `.../messages/@original`, in order. */
  edits: RESTPatchAPIWebhookWithTokenMessageJSONBody[];
  followUps: FollowUp[];
}

export interface InteractionHandle<P extends APIInteraction = APIInteraction> {
  readonly id: string;
  readonly token: string;
  /** The INTERACTION_CREATE data the fake dispatched. */
  readonly payload: P;
  /** The first response (callback type 4/5/6/7/8/9); rejects if the fake refused the bot's only attempt. */
  waitForResponse(timeoutMs?: number): Promise<APIInteractionResponse>;
  rejections(): readonly Rejection[];
  /** The first edit of `@original`. */
  waitForEdit(timeoutMs?: number): Promise<RESTPatchAPIWebhookWithTokenMessageJSONBody>;
  edits(): readonly RESTPatchAPIWebhookWithTokenMessageJSONBody[];
  waitForFollowUps(count: number, timeoutMs?: number): Promise<readonly FollowUp[]>;
  followUps(): readonly FollowUp[];
  /** `@original` as the user would now see it (after the response, edits and a replacing follow-up). */
  final(): APIMessage | undefined;
}

/** @default 5000 — long enough for a loaded CI machine, short enough to fail fast. */
export const DEFAULT_WAIT_MS = 5000;

export function interactionHandle<P extends APIInteraction>(
  state: FakeState,
  record: InteractionRecord<P>,
): InteractionHandle<P> {
  const { payload } = record;
  const what = (thing: string) => `${thing} of interaction ${payload.id}`;
  return {
    id: payload.id,
    token: payload.token,
    payload,
    waitForResponse: (timeoutMs = DEFAULT_WAIT_MS) =>
      state.waitFor(
        () => {
          if (record.response) return record.response;
          const refused = record.rejections[0];
          if (refused)
            throw new Error(
              `fake Discord refused the response: ${refused.status} ${refused.code} ${refused.message}`,
            );
          return undefined;
        },
        timeoutMs,
        what('the response'),
      ),
    rejections: () => record.rejections,
    waitForEdit: (timeoutMs = DEFAULT_WAIT_MS) =>
      state.waitFor(() => record.edits[0], timeoutMs, what('an edit')),
    edits: () => record.edits,
    waitForFollowUps: (count, timeoutMs = DEFAULT_WAIT_MS) =>
      state.waitFor(
        () => (record.followUps.length >= count ? record.followUps : undefined),
        timeoutMs,
        what(`${count} follow-ups`),
      ),
    followUps: () => record.followUps,
    final: () => record.original,
  };
}
