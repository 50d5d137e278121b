import { describe, expect, it } from 'vitest';
import { singleFlight } from '../../../src/worker/single-flight';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('singleFlight', () => {
  it('runs one at a time, and requests during a run share one follow-up run', async () => {
    const gates = [gate(), gate()];
    let started = 0;
    const flight = singleFlight(async () => {
      await gates[started++]!.opened;
    });
    const first = flight.run();
    const second = flight.run();
    const third = flight.run();
    expect(second).toBe(third);
    expect(started).toBe(1);
    gates[0]!.open();
    await first;
    gates[1]!.open();
    await second;
    expect(started).toBe(2);
  });

  it('settled() waits for the run in progress and its follow-up', async () => {
    const g = gate();
    let done = 0;
    const flight = singleFlight(async () => {
      await g.opened;
      done++;
    });
    void flight.run();
    void flight.run();
    const settled = flight.settled().then(() => done);
    g.open();
    expect(await settled).toBe(2);
  });
});
