/**
 * Interactions: dispatching INTERACTION_CREATE, and the callback and webhook routes with Discord's
 * rules — first response within 3 s, one acknowledgement only, response types that fit the
 * interaction, message limits on every reply, edit and follow-up, tokens valid for 15 minutes.
 */
import {
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import type {
  APIInteraction,
  APIInteractionResponse,
  APIMessage,
  RESTAPIInteractionCallbackObject,
  RESTError,
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
  RESTPostAPIInteractionCallbackWithResponseResult,
  RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord-api-types/v10';
import { FormErrors } from './form-errors';
import { interactionHandle } from './interaction-handle';
import type { InteractionHandle, InteractionRecord } from './interaction-handle';
import { autocompleteErrors, isEmptyMessage, messageErrors } from './limits';
import { editedMessage, messagePayload } from './message-payloads';
import type { MessageContent } from './message-payloads';
import { apiError, formError, json, noContent } from './responses';
import type { FakeResponse } from './responses';
import type { RouteRequest, Router } from './router';
import type { FakeState } from './state';

export const RESPONSE_DEADLINE_MS = 3000;
export const TOKEN_LIFETIME_MS = 15 * 60_000;

const R = InteractionResponseType;
const ALLOWED: Partial<Record<InteractionType, InteractionResponseType[]>> = {
  [InteractionType.ApplicationCommand]: [
    R.ChannelMessageWithSource,
    R.DeferredChannelMessageWithSource,
    R.Modal,
  ],
  [InteractionType.MessageComponent]: [
    R.ChannelMessageWithSource,
    R.DeferredChannelMessageWithSource,
    R.DeferredMessageUpdate,
    R.UpdateMessage,
    R.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [R.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [
    R.ChannelMessageWithSource,
    R.DeferredChannelMessageWithSource,
    R.DeferredMessageUpdate,
    R.UpdateMessage,
  ],
};

/** Why Discord would refuse this first response, or undefined when it is acceptable. */
function responseProblem(
  interactionType: InteractionType,
  response: APIInteractionResponse,
): FakeResponse | undefined {
  if (!ALLOWED[interactionType]?.includes(response.type)) {
    const errors = new FormErrors();
    errors.add(
      ['type'],
      'BASE_TYPE_CHOICES',
      `Value must be one of ${JSON.stringify(ALLOWED[interactionType] ?? [])}.`,
    );
    return formError(errors.tree);
  }
  const data = 'data' in response ? response.data : undefined;
  if (response.type === R.ChannelMessageWithSource && isEmptyMessage(data, 0)) {
    return apiError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage);
  }
  const errors =
    response.type === R.ApplicationCommandAutocompleteResult
      ? autocompleteErrors(data)
      : messageErrors(data, new FormErrors(), ['data']);
  return errors.empty ? undefined : formError(errors.tree);
}

export class Interactions {
  readonly #records = new Map<string, InteractionRecord>();

  constructor(
    private readonly state: FakeState,
    private readonly dispatch: (interaction: APIInteraction) => void,
  ) {}

  /** Creates and dispatches an interaction; `build` receives its fresh id and token. */
  start<P extends APIInteraction>(build: (id: string, token: string) => P): InteractionHandle<P> {
    const id = this.state.snowflake();
    const payload = build(id, `interaction-token-${id}`);
    const record: InteractionRecord<P> = {
      payload,
      createdAt: this.state.now(),
      rejections: [],
      edits: [],
      followUps: [],
    };
    this.#records.set(id, record);
    this.dispatch(payload);
    return interactionHandle(this.state, record);
  }

  register(router: Router): void {
    const open = { auth: false };
    router
      .add('POST /interactions/:interactionId/:token/callback', (r) => this.#callback(r), open)
      .add(
        'POST /webhooks/:applicationId/:token',
        (r) => this.#withWebhook(r, (rec) => this.#followUp(rec, r)),
        open,
      )
      .add(
        'GET /webhooks/:applicationId/:token/messages/:messageId',
        (r) => this.#withMessage(r, (_, m) => json(200, m)),
        open,
      )
      .add(
        'PATCH /webhooks/:applicationId/:token/messages/:messageId',
        (r) => this.#withMessage(r, (rec, m) => this.#edit(rec, m, r)),
        open,
      )
      .add(
        'DELETE /webhooks/:applicationId/:token/messages/:messageId',
        (r) => this.#withMessage(r, (rec, m) => this.#delete(rec, m)),
        open,
      );
  }

  #callback({ params, body, query }: RouteRequest): FakeResponse {
    const record = this.#records.get(params.interactionId ?? '');
    if (!record || record.payload.token !== params.token)
      return apiError(404, RESTJSONErrorCodes.UnknownInteraction);
    const refuse = (answer: FakeResponse) => {
      const { code, message } = answer.body as RESTError;
      record.rejections.push({ status: answer.status, code, message });
      this.state.changed();
      return answer;
    };
    if (record.response)
      return refuse(apiError(400, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged));
    if (this.state.now() - record.createdAt > RESPONSE_DEADLINE_MS)
      return refuse(apiError(404, RESTJSONErrorCodes.UnknownInteraction));
    const response = body as APIInteractionResponse;
    const problem = responseProblem(record.payload.type, response);
    if (problem) return refuse(problem);

    record.response = response;
    record.original = this.#originalAfter(record, response);
    this.state.changed();
    if (query.get('with_response') !== 'true') return noContent();
    const interaction: RESTAPIInteractionCallbackObject = {
      id: record.payload.id,
      type: record.payload.type,
      ...(record.original && {
        response_message_id: record.original.id,
        response_message_loading: Boolean((record.original.flags ?? 0) & MessageFlags.Loading),
        response_message_ephemeral: Boolean((record.original.flags ?? 0) & MessageFlags.Ephemeral),
      }),
    };
    const result: RESTPostAPIInteractionCallbackWithResponseResult = {
      interaction,
      resource: { type: response.type, ...(record.original && { message: record.original }) },
    };
    return json(200, result);
  }

  #originalAfter(
    record: InteractionRecord,
    response: APIInteractionResponse,
  ): APIMessage | undefined {
    const component = 'message' in record.payload ? record.payload.message : undefined;
    switch (response.type) {
      case R.ChannelMessageWithSource:
        return this.#newMessage(record, response.data as MessageContent);
      case R.DeferredChannelMessageWithSource:
        return this.#newMessage(record, {
          flags: (response.data?.flags ?? 0) | MessageFlags.Loading,
        });
      case R.DeferredMessageUpdate:
        return component;
      case R.UpdateMessage:
        return (
          component &&
          editedMessage(component, response.data as MessageContent, this.state.timestamp())
        );
      default:
        return undefined;
    }
  }

  #newMessage(record: InteractionRecord, content: MessageContent): APIMessage {
    const { state } = this;
    const meta = {
      id: state.snowflake(),
      channelId: record.payload.channel?.id ?? '',
      author: state.bot,
      timestamp: state.timestamp(),
    };
    return messagePayload(
      { ...meta, applicationId: state.applicationId, webhookId: state.applicationId },
      content,
    );
  }

  /** Finds the interaction behind a webhook URL, applying the webhook token's rules. */
  #withWebhook(
    request: RouteRequest,
    answer: (record: InteractionRecord) => FakeResponse,
  ): FakeResponse {
    const { applicationId, token } = request.params;
    const record = [...this.#records.values()].find((r) => r.payload.token === token);
    if (applicationId !== this.state.applicationId || !record?.response)
      return apiError(404, RESTJSONErrorCodes.UnknownWebhook);
    if (this.state.now() - record.createdAt > TOKEN_LIFETIME_MS)
      return apiError(401, RESTJSONErrorCodes.InvalidWebhookToken);
    return answer(record);
  }

  #withMessage(
    request: RouteRequest,
    answer: (record: InteractionRecord, message: APIMessage) => FakeResponse,
  ): FakeResponse {
    return this.#withWebhook(request, (record) => {
      const id = request.params.messageId;
      const message =
        id === '@original'
          ? record.original
          : record.followUps.find((f) => f.message.id === id)?.message;
      return message ? answer(record, message) : apiError(404, RESTJSONErrorCodes.UnknownMessage);
    });
  }

  #edit(record: InteractionRecord, message: APIMessage, { body }: RouteRequest): FakeResponse {
    const errors = messageErrors(body);
    if (!errors.empty) return formError(errors.tree);
    const edit = body as RESTPatchAPIWebhookWithTokenMessageJSONBody;
    const updated = editedMessage(message, edit as MessageContent, this.state.timestamp());
    // Editing a deferred reply replaces the "is thinking…" state with the content.
    updated.flags = (updated.flags ?? 0) & ~MessageFlags.Loading;
    if (message === record.original) {
      record.original = updated;
      record.edits.push(edit);
    } else {
      const followUp = record.followUps.find((f) => f.message === message);
      if (followUp) followUp.message = updated;
    }
    this.state.changed();
    return json(200, updated);
  }

  #delete(record: InteractionRecord, message: APIMessage): FakeResponse {
    if (message === record.original) delete record.original;
    else record.followUps = record.followUps.filter((f) => f.message !== message);
    this.state.changed();
    return noContent();
  }

  #followUp(record: InteractionRecord, { body, files, query }: RouteRequest): FakeResponse {
    if (isEmptyMessage(body, files.length))
      return apiError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage);
    const errors = messageErrors(body);
    if (!errors.empty) return formError(errors.tree);
    const followUpBody = body as RESTPostAPIWebhookWithTokenJSONBody;
    let message = this.#newMessage(record, followUpBody as MessageContent);
    // Discord turns the first follow-up after a deferral into the deferred reply itself.
    if (
      record.original &&
      (record.original.flags ?? 0) & MessageFlags.Loading &&
      record.response?.type === R.DeferredChannelMessageWithSource
    ) {
      message = { ...message, id: record.original.id };
      record.original = message;
    }
    record.followUps.push({ body: followUpBody, message });
    this.state.changed();
    return query.get('wait') === 'true' ? json(200, message) : noContent();
  }
}
