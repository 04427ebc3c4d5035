import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { detached, ownBytes } from '../../../src/sip/bytes.js';

test('ownBytes copies a slice of the shared pool into memory of its own, and leaves a buffer that owns its memory', () => {
  // Buffer.concat of small parts takes its memory from Node's 8 KB pool, as the proxy's edited messages do.
  const pooled = Buffer.concat([Buffer.from('SIP/2.0 200 OK\r\n'), Buffer.from('Content-Length: 0\r\n\r\n')]);
  assert.ok(pooled.buffer.byteLength > pooled.length, 'the test needs a pooled buffer');
  const own = ownBytes(pooled);
  assert.notEqual(own.buffer, pooled.buffer);
  assert.equal(own.buffer.byteLength, own.length);
  assert.equal(own.toString(), pooled.toString());
  pooled.fill(0); // the copy does not follow its source
  assert.match(own.toString(), /^SIP\/2\.0 200 OK/);

  const alone = Buffer.allocUnsafeSlow(12).fill(1);
  assert.equal(ownBytes(alone), alone);
});

test('detached gives the same value, ASCII or not, short or long', () => {
  for (const v of [
    '',
    'z9hG4bK',
    'z9hG4bK-12908-502-0|127.0.0.2:27062|INVITE',
    '"Émile" <sip:201@example.fr>;tag=été',
    'caf\u00e9 \u{1F4DE} \ud800 lone surrogate',
    'x'.repeat(5000),
  ]) {
    const text = `Via: ${v}\r\n`;
    assert.equal(detached(text.slice(5, 5 + v.length)), v);
  }
});

test('detached values do not keep the text they were cut from', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const kept: string[] = [];
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 200; i++) {
    const section = `Call-ID: ${i}-${'a'.repeat(100_000)}\r\n`; // 100 KB of text a value
    kept.push(detached(section.slice(9, 40)));
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 2_000_000, `200 values kept ${grown} bytes`);
  assert.equal(kept[7], `7-${'a'.repeat(29)}`);
});
