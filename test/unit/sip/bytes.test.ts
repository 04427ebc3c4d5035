import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ownBytes } from '../../../src/sip/bytes.js';

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
