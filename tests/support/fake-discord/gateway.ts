/**
 * The gateway side of the fake: HELLO, IDENTIFY → READY + one GUILD_CREATE per guild, heartbeat
 * ACKs, and RESUME with replay of what the client missed. One session at a time; every dispatch
 * is logged with its sequence number so a resumed client gets exactly the events it did not see.
 */
import { randomUUID } from 'node:crypto';
import {
  type ApplicationFlags,
  GatewayDispatchEvents,
  GatewayOpcodes,
} from 'discord-api-types/v10';
import type {
  GatewayDispatchPayload,
  GatewayReceivePayload,
  GatewaySendPayload,
} from 'discord-api-types/v10';
import { WebSocket } from 'ws';
import { guildCreatePayload } from './payloads';
import type { FakeState } from './state';

/** `{ t, d }` of any dispatch, keeping each event name paired with its data type. */
export type DispatchEvent = GatewayDispatchPayload extends infer P
  ? P extends GatewayDispatchPayload
    ? Pick<P, 't' | 'd'>
    : never
  : never;

export interface GatewayOptions {
  token: string;
  /** Sent as READY's resume_gateway_url; discord.js reconnects there to resume. */
  url: string;
  heartbeatIntervalMs: number;
}

/** Close codes the fake uses; 1006 cannot be sent, so it is produced by cutting the TCP connection. */
const AUTHENTICATION_FAILED = 4004;
const ABNORMAL = 1006;

interface Session {
  id: string;
  seq: number;
  log: GatewayDispatchPayload[];
}

export class FakeGateway {
  /** Everything the client sent, in order. */
  readonly received: GatewaySendPayload[] = [];
  #session: Session | undefined;
  /** The connection that identified or resumed, if it is still open. */
  #live: WebSocket | undefined;

  constructor(
    private readonly state: FakeState,
    private readonly options: GatewayOptions,
  ) {}

  accept(socket: WebSocket): void {
    socket.on('close', () => {
      if (this.#live === socket) this.#live = undefined;
    });
    socket.on('message', (data) => this.#receive(socket, String(data)));
    this.#send(socket, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.options.heartbeatIntervalMs },
      s: null,
      t: null,
    });
  }

  /** Sends an event to the client now, or keeps it for replay when the client resumes. */
  dispatch(event: DispatchEvent): void {
    const session = this.#session;
    if (!session)
      throw new Error(
        'fake Discord: no gateway session yet; wait for the client to be ready first',
      );
    session.seq += 1;
    const payload = {
      op: GatewayOpcodes.Dispatch,
      s: session.seq,
      ...event,
    } as GatewayDispatchPayload;
    session.log.push(payload);
    if (this.#live) this.#send(this.#live, payload);
  }

  /** Closes the live connection abnormally (4000 Unknown error by default; 1006 cuts it without a close frame). */
  drop(code = 4000): void {
    const socket = this.#live;
    if (!socket) throw new Error('fake Discord: no live gateway connection to drop');
    this.#live = undefined;
    if (code === ABNORMAL) socket.terminate();
    else socket.close(code, 'dropped by test');
  }

  /** Resolves once the client has sent `count` payloads with this opcode in total. */
  waitForOp(op: GatewayOpcodes, count: number, timeoutMs: number): Promise<GatewaySendPayload[]> {
    const matching = () => this.received.filter((p) => p.op === op);
    return this.state.waitFor(
      () => (matching().length >= count ? matching() : undefined),
      timeoutMs,
      `${count} gateway op ${op}`,
    );
  }

  #send(socket: WebSocket, payload: GatewayReceivePayload): void {
    // Always text frames: discord.js treats binary frames as zlib-compressed.
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  #receive(socket: WebSocket, text: string): void {
    let payload: GatewaySendPayload;
    try {
      payload = JSON.parse(text) as GatewaySendPayload;
    } catch {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    this.received.push(payload);
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.#send(socket, { op: GatewayOpcodes.HeartbeatAck } as GatewayReceivePayload);
        break;
      case GatewayOpcodes.Identify:
        if (payload.d.token !== this.options.token)
          socket.close(AUTHENTICATION_FAILED, 'Authentication failed.');
        else this.#identify(socket);
        break;
      case GatewayOpcodes.Resume:
        this.#resume(socket, payload.d);
        break;
      default:
        break;
    }
    this.state.changed();
  }

  #identify(socket: WebSocket): void {
    const { state } = this;
    this.#session = { id: randomUUID().replaceAll('-', ''), seq: 0, log: [] };
    this.#live = socket;
    this.dispatch({
      t: GatewayDispatchEvents.Ready,
      d: {
        v: 10,
        user: state.bot,
        guilds: state.guilds.map((g) => ({ id: g.id, unavailable: true })),
        session_id: this.#session.id,
        resume_gateway_url: this.options.url,
        shard: [0, 1],
        application: { id: state.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
      },
    });
    for (const guild of state.guilds) {
      this.dispatch({
        t: GatewayDispatchEvents.GuildCreate,
        d: guildCreatePayload(guild, state.bot, state.timestamp()),
      });
    }
  }

  #resume(socket: WebSocket, d: { token: string; session_id: string; seq: number }): void {
    const session = this.#session;
    if (!session || d.session_id !== session.id || d.token !== this.options.token) {
      // d: false tells the client it cannot resume and must identify again.
      this.#send(socket, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    this.#live = socket;
    for (const missed of session.log.filter((p) => p.s > d.seq)) this.#send(socket, missed);
    // RESUMED takes a sequence number but is not replayable, so it stays out of the log.
    session.seq += 1;
    this.#send(socket, {
      op: GatewayOpcodes.Dispatch,
      t: GatewayDispatchEvents.Resumed,
      d: undefined,
      s: session.seq,
    } as GatewayDispatchPayload);
  }
}
