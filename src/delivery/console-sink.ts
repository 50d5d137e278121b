import type { Sink } from './sink';
import { renderConsoleBlock, renderConsoleJson } from './render-console';

export interface ConsoleSinkOptions {
  /** One JSON object per briefing instead of a readable block. */
  json: boolean;
  /** ANSI colours; pass `process.stdout.isTTY`. */
  color: boolean;
  write: (text: string) => void;
}

/** Prints briefings to the terminal: the sink of console mode and of `poll --once`. */
export function createConsoleSink(options: ConsoleSinkOptions): Sink {
  return {
    async send(_delivery, briefing) {
      options.write(
        options.json
          ? `${renderConsoleJson(briefing)}\n`
          : `${renderConsoleBlock(briefing, { color: options.color })}\n\n`,
      );
      return { kind: 'sent' };
    },
  };
}
