import { afterEach, describe, expect, it } from 'vitest';
import { labelRole, observe, registry } from '../../../src/observe/metrics';
import { parsePrometheusText } from '../../support/prometheus-text';

describe('metrics of a process with a role', () => {
  afterEach(() => labelRole('all'));

  it.each(['worker', 'bot'])('label every series with role %s and the process', async (role) => {
    observe.feedProcessed({ fresh: 2, delivered: 1 });
    labelRole(role);
    const { samples } = parsePrometheusText(await registry.metrics());
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) {
      expect(s.labels.role).toBe(role);
      expect(s.labels.process).toMatch(new RegExp(`:${process.pid}$`));
    }
  });
});
