import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardOutput } from '../../src/output-boundary';
import { createRedactor, REDACTED } from '../../src/redact';

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, chunks };
}

const OSC52 = '\x1b]52;c;cm0gLXJmIH4K\x07';

describe('the output boundary', () => {
  it('redacts strings and bytes written by anyone, and takes new secrets when guarded again', () => {
    const out = sink();
    const err = sink();
    const streams = { stdout: out.stream, stderr: err.stream };
    guardOutput({ redact: createRedactor(['first-secret']), stdoutIsData: false }, streams);
    err.stream.write('a first-secret line\n');
    err.stream.write(Buffer.from('bytes with first-secret\n'));
    err.stream.write(Buffer.from('plain bytes\n'));
    guardOutput({ redact: createRedactor(['second-secret']), stdoutIsData: false }, streams);
    err.stream.write('second-secret and first-secret\n');
    expect(err.chunks).toEqual([
      `a ${REDACTED} line\n`,
      `bytes with ${REDACTED}\n`,
      'plain bytes\n',
      `${REDACTED} and first-secret\n`,
    ]);
  });

  it('strips terminal escapes from text for people, and leaves --json data as written', () => {
    const text = sink();
    const data = sink();
    const err = sink();
    const redact = createRedactor(['the-token']);
    guardOutput({ redact, stdoutIsData: false }, { stdout: text.stream, stderr: err.stream });
    guardOutput({ redact, stdoutIsData: true }, { stdout: data.stream, stderr: err.stream });
    text.stream.write(`title${OSC52} the-token\n`);
    data.stream.write('{"title":"\u202eevil the-token"}\n');
    err.stream.write(`WARN feed failed error="bad${OSC52}"\n`);
    expect(text.chunks).toEqual([`title ${REDACTED}\n`]);
    expect(data.chunks).toEqual([`{"title":"\u202eevil ${REDACTED}"}\n`]);
    expect(err.chunks).toEqual(['WARN feed failed error="bad"\n']);
  });
});
